#include "pre_tokenizers/onig_to_pcre2.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "absl/strings/ascii.h"
#include "pre_tokenizers/pattern_error.h"
#include "utf8.h"

namespace tokgraft {
namespace {

// Onig's word characters, as its classes ([\w]) read them. (Standalone \w
// also takes ¹ ² ³ ¼ ½ ¾ from its Latin-1 table; that quirk is not copied.)
constexpr char kWordItems[] = R"(\p{Alphabetic}\p{M}\p{Nd}\p{Pc})";
constexpr char kHexDigitItems[] = "0-9a-fA-F";

class Translator {
 public:
  explicit Translator(std::string_view source) : source_(source) {}

  absl::StatusOr<Pcre2Pattern> Run() {
    while (pos_ < source_.size()) {
      const absl::Status status = source_[pos_] == '\\' ? Escape()
                                  : in_class_           ? ClassItem()
                                                        : Outside();
      if (!status.ok()) return status;
    }
    return std::move(out_);
  }

 private:
  char PeekAt(size_t i) const { return i < source_.size() ? source_[i] : '\0'; }

  // Appends `text` as the translation of the source from `from` on.
  void Emit(std::string_view text, size_t from) {
    out_.text.append(text);
    out_.source_offset.insert(out_.source_offset.end(), text.size(), from);
  }

  // Copies `count` source bytes unchanged.
  void Copy(size_t count) {
    count = std::min(count, source_.size() - pos_);
    for (size_t i = 0; i < count; ++i) Emit(source_.substr(pos_ + i, 1), pos_ + i);
    pos_ += count;
  }

  absl::Status Unsupported(size_t at, std::string_view what) const {
    return PatternError(source_, at, std::string(what) + " has no PCRE2 equivalent");
  }

  absl::Status Outside() {
    const char c = source_[pos_];
    if (c == '[') {
      in_class_ = true;
      Copy(PeekAt(pos_ + 1) == '^' ? 2 : 1);
      // A ']' right after the opening is a literal in both engines.
      if (PeekAt(pos_) == ']') Copy(1);
      return absl::OkStatus();
    }
    if (c == '(' && PeekAt(pos_ + 1) == '?') return GroupOpening();
    if (c == '{' && PeekAt(pos_ + 1) == ',' && absl::ascii_isdigit(PeekAt(pos_ + 2))) {
      Emit("{0", pos_);  // the ",n}" that follows is copied as it is
      ++pos_;
      return absl::OkStatus();
    }
    Copy(1);
    return absl::OkStatus();
  }

  absl::Status ClassItem() {
    const char c = source_[pos_];
    if (c == ']') {
      in_class_ = false;
      Copy(1);
      return absl::OkStatus();
    }
    if (c == '[') {
      if (PeekAt(pos_ + 1) == ':') {
        const size_t close = source_.find(":]", pos_ + 2);
        if (close != std::string_view::npos) {
          Copy(close + 2 - pos_);  // POSIX bracket such as [:alpha:]
          return absl::OkStatus();
        }
      }
      return Unsupported(pos_, "a nested character class");
    }
    if (c == '&' && PeekAt(pos_ + 1) == '&') return Unsupported(pos_, "class intersection (&&)");
    Copy(1);
    return absl::OkStatus();
  }

  // "(?" opens an option setting such as (?i) or (?mi-x:...), or another
  // group kind ((?:, (?=, (?<name>, (?#...), ...).
  absl::Status GroupOpening() {
    if (PeekAt(pos_ + 2) == '#') {
      const size_t close = source_.find(')', pos_);
      Copy(close == std::string_view::npos ? source_.size() - pos_ : close + 1 - pos_);
      return absl::OkStatus();
    }
    size_t end = pos_ + 2;
    while (end < source_.size() && std::strchr("imx-", source_[end]) != nullptr) ++end;
    const bool option_setting = end > pos_ + 2 && (PeekAt(end) == ':' || PeekAt(end) == ')');
    Copy(2);
    if (!option_setting) return absl::OkStatus();
    while (pos_ < end) {
      if (source_[pos_] == 'm') {
        Emit("s", pos_);  // Ruby's m is "dot matches newline"
        ++pos_;
      } else {
        Copy(1);
      }
    }
    return absl::OkStatus();
  }

  absl::Status Escape() {
    const size_t at = pos_;
    const char letter = PeekAt(pos_ + 1);
    auto replace = [&](std::string_view with, size_t source_length) {
      Emit(with, at);
      pos_ += source_length;
      return absl::OkStatus();
    };
    switch (letter) {
      case 's':
        return replace(R"(\p{White_Space})", 2);
      case 'S':
        return replace(R"(\P{White_Space})", 2);
      case 'w':
        return replace(in_class_ ? std::string(kWordItems) : std::string("[") + kWordItems + "]", 2);
      case 'W':
        if (in_class_) return Unsupported(at, "\\W inside a character class");
        return replace(std::string("[^") + kWordItems + "]", 2);
      case 'b':
      case 'B': {
        if (in_class_) break;  // backspace
        const std::string word = std::string("[") + kWordItems + "]";
        const std::string after_word = "(?<=" + word + ")";
        const std::string not_after_word = "(?<!" + word + ")";
        const std::string before_word = "(?=" + word + ")";
        const std::string not_before_word = "(?!" + word + ")";
        if (letter == 'b') {
          return replace("(?:" + after_word + not_before_word + "|" + not_after_word + before_word + ")",
                         2);
        }
        return replace("(?:" + after_word + before_word + "|" + not_after_word + not_before_word + ")",
                       2);
      }
      case 'h':
        return replace(in_class_ ? std::string(kHexDigitItems)
                                 : std::string("[") + kHexDigitItems + "]",
                       2);
      case 'H':
        if (in_class_) return Unsupported(at, "\\H inside a character class");
        return replace(std::string("[^") + kHexDigitItems + "]", 2);
      case 'v':
        return replace(R"(\x{0B})", 2);
      case 'u': {
        const std::string_view digits = source_.substr(pos_ + 2, 4);
        const bool hex4 = digits.size() == 4 && std::all_of(digits.begin(), digits.end(), [](char d) {
                            return absl::ascii_isxdigit(d);
                          });
        if (hex4) return replace(R"(\x{)" + std::string(digits) + "}", 6);
        break;
      }
      case 'p':
      case 'P':
      case 'x':
        // Copied whole so that the braces' contents are not read as pattern.
        if (PeekAt(pos_ + 2) == '{') {
          const size_t close = source_.find('}', pos_ + 2);
          if (close != std::string_view::npos) {
            Copy(close + 1 - pos_);
            return absl::OkStatus();
          }
        }
        break;
    }
    // The remaining escapes (\d \n \r \t \A \z \pL ...) read alike in both
    // engines; the escaped character is copied whole, however many bytes.
    const size_t escaped_length =
        pos_ + 1 < source_.size() ? utf8::SequenceLength(static_cast<unsigned char>(letter)) : 0;
    Copy(1 + escaped_length);
    return absl::OkStatus();
  }

  std::string_view source_;
  Pcre2Pattern out_;
  size_t pos_ = 0;
  bool in_class_ = false;
};

}  // namespace

absl::StatusOr<Pcre2Pattern> TranslateOnigToPcre2(std::string_view onig_pattern) {
  return Translator(onig_pattern).Run();
}

}  // namespace tokgraft
