#include "category_words.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_format.h"
#include "tokgraft/stats.h"

namespace tokgraft::mixture {
namespace {

constexpr std::string_view kMetaspace = "\xE2\x96\x81";  // U+2581

bool HasDigit(std::string_view s) {
  for (char c : s) {
    if (c >= '0' && c <= '9') return true;
  }
  return false;
}

// A U+2581 right after something else inside `token`.
bool SpansWords(std::string_view token) {
  for (size_t at = token.find(kMetaspace, 1); at != std::string_view::npos; at = token.find(kMetaspace, at + 1)) {
    if (at < kMetaspace.size() || token.substr(at - kMetaspace.size(), kMetaspace.size()) != kMetaspace) return true;
  }
  return false;
}

// Calls visit(word) for the words of a piece under `rules`.
template <typename Visit>
void CutPiece(std::string_view piece, const SplitRules& rules, Visit visit) {
  size_t begin = 0;
  auto emit = [&](size_t end) {
    if (end > begin) visit(piece.substr(begin, end - begin));
    begin = end;
  };
  for (size_t i = 0; i < piece.size();) {
    const char c = piece[i];
    if (rules.cut_around_digits && c >= '0' && c <= '9') {
      emit(i);
      emit(i + 1);
      ++i;
      continue;
    }
    if (rules.cut_before_metaspace && piece.compare(i, kMetaspace.size(), kMetaspace) == 0) {
      const bool after_metaspace = i >= begin + kMetaspace.size() &&
                                   piece.compare(i - kMetaspace.size(), kMetaspace.size(), kMetaspace) == 0;
      if (i > begin && !after_metaspace) emit(i);
      i += kMetaspace.size();
      continue;
    }
    ++i;
  }
  emit(piece.size());
}

}  // namespace

SplitRules SplitRulesFor(const std::vector<std::pair<std::string, std::string>>& merges, bool byte_level) {
  SplitRules rules;
  if (byte_level) return rules;  // byte-level pre-tokenizers make the words themselves
  size_t spanning = 0;
  bool digits = false;
  for (const auto& [left, right] : merges) {
    if (SpansWords(left + right)) ++spanning;
    digits = digits || HasDigit(left) || HasDigit(right);
  }
  rules.cut_before_metaspace = spanning * 1000 <= merges.size();
  rules.cut_around_digits = !digits;
  return rules;
}

absl::StatusOr<CategoryWords> ReadCategoryWords(const Tokenizer& tokenizer, const CategorySample& sample,
                                                bool by_line, const SplitRules& rules) {
  std::ifstream in(sample.path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrFormat("cannot read category %s (%s): %s", sample.name, sample.path,
                                               std::strerror(errno)));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrFormat("error while reading %s", sample.path));
  const std::string text = std::move(buffer).str();

  CategoryWords out;
  auto count = [&](std::string_view piece) { CutPiece(piece, rules, [&](std::string_view w) { ++out.words[absl::string_view(w.data(), w.size())]; }); };
  std::string_view rest = text;
  size_t unit_begin = 0;  // of the current document, in text
  size_t offset = 0;
  absl::Status status;
  auto feed = [&](size_t begin, size_t end) {
    if (end <= begin || !status.ok()) return;
    out.bytes += end - begin;
    status = tokenizer.PreTokenize(std::string_view(text).substr(begin, end - begin), count);
    if (!status.ok()) status = absl::InvalidArgumentError(absl::StrFormat("%s: %s", sample.path, status.message()));
  };
  while (!rest.empty()) {
    const size_t eol = rest.find('\n');
    const size_t length = eol == std::string_view::npos ? rest.size() : eol + 1;
    const std::string_view line = rest.substr(0, length);
    const bool separator = line == "\x1E\n" || line == "\x1E" || line == "\x1E\r\n";
    if (separator) {
      if (!by_line) feed(unit_begin, offset);
      unit_begin = offset + length;
    } else if (by_line) {
      feed(offset, offset + length);
    }
    offset += length;
    rest.remove_prefix(length);
  }
  if (!by_line) feed(unit_begin, offset);
  if (!status.ok()) return status;
  if (out.bytes == 0) {
    return absl::InvalidArgumentError(absl::StrFormat("category %s (%s) has no text", sample.name, sample.path));
  }
  return out;
}

absl::Status ValidateCategorySample(const CategorySample& sample) {
  return stats::ValidateCorpusFile(sample.path);
}

}  // namespace tokgraft::mixture
