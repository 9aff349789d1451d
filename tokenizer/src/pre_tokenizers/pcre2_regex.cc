// Unicode data: PCRE2 carries its own tables (PCRE2 10.42: Unicode 14.0),
// which are neither ICU's (the scanners: Unicode 15.0) nor Oniguruma's (HF
// tokenizers 0.23: Unicode 16.0). Characters assigned between those versions
// can therefore split differently here.
#include "pre_tokenizers/pcre2_regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cstddef>
#include <cstdint>

#include "pre_tokenizers/onig_to_pcre2.h"
#include "pre_tokenizers/pattern_error.h"
#include "utf8.h"

namespace tokgraft {
namespace {

struct CodeDeleter {
  void operator()(pcre2_code* code) const { pcre2_code_free(code); }
};
using CodePtr = std::unique_ptr<pcre2_code, CodeDeleter>;

// What pcre2_match needs besides the pattern: room for the match offsets and
// a JIT stack. Neither depends on the pattern, so each thread keeps one set
// for all patterns, which makes concurrent FindMatches calls safe.
class MatchScratch {
 public:
  MatchScratch()
      : data_(pcre2_match_data_create(1, nullptr)),
        context_(pcre2_match_context_create(nullptr)),
        // Deep backtracking (a long whitespace run against \s+(?!\S)) needs
        // more than the JIT's default 32 KiB on the machine stack.
        jit_stack_(pcre2_jit_stack_create(32 * 1024, 8 * 1024 * 1024, nullptr)) {
    pcre2_jit_stack_assign(context_, nullptr, jit_stack_);
  }
  ~MatchScratch() {
    pcre2_jit_stack_free(jit_stack_);
    pcre2_match_context_free(context_);
    pcre2_match_data_free(data_);
  }
  MatchScratch(const MatchScratch&) = delete;
  MatchScratch& operator=(const MatchScratch&) = delete;

  pcre2_match_data* data() const { return data_; }
  pcre2_match_context* context() const { return context_; }

 private:
  pcre2_match_data* data_;
  pcre2_match_context* context_;
  pcre2_jit_stack* jit_stack_;
};

MatchScratch& ThreadMatchScratch() {
  thread_local MatchScratch scratch;
  return scratch;
}

class Pcre2SplitRegex final : public SplitRegex {
 public:
  explicit Pcre2SplitRegex(CodePtr code) : code_(std::move(code)) {}

  void FindMatches(std::string_view text, std::vector<ByteSpan>* matches) const override {
    MatchScratch& scratch = ThreadMatchScratch();
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    for (size_t start = 0; start <= text.size();) {
      // Text is validated UTF-8 by the time it gets here.
      int rc = pcre2_match(code_.get(), subject, text.size(), start, PCRE2_NO_UTF_CHECK,
                           scratch.data(), scratch.context());
      if (rc == PCRE2_ERROR_JIT_STACKLIMIT) {
        rc = pcre2_match(code_.get(), subject, text.size(), start, PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT,
                         scratch.data(), scratch.context());
      }
      // No further match, or a resource limit (by default 10 million match
      // steps) that only a catastrophically backtracking pattern reaches; the
      // rest of the text is then left unmatched. rc == 0 is a match whose
      // capture groups did not fit the one-pair vector: only group 0 is used.
      if (rc < 0) break;
      const PCRE2_SIZE* span = pcre2_get_ovector_pointer(scratch.data());
      const size_t begin = span[0];
      const size_t end = span[1];
      if (begin == end) {
        // As in HF's loop over Onig: after an empty match the search moves on
        // one character, even where a non-empty match could start there.
        if (begin >= text.size()) break;
        start = begin + utf8::SequenceLength(static_cast<unsigned char>(text[begin]));
        continue;
      }
      matches->push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end)});
      start = end;
    }
  }

  std::string_view engine() const override { return "pcre2"; }

 private:
  CodePtr code_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SplitRegex>> CompilePcre2SplitRegex(std::string_view onig_pattern) {
  absl::StatusOr<Pcre2Pattern> translated = TranslateOnigToPcre2(onig_pattern);
  if (!translated.ok()) return translated.status();

  // Onig reads "." and "$" against \n alone, whatever PCRE2's build default.
  std::unique_ptr<pcre2_compile_context, void (*)(pcre2_compile_context*)> context(
      pcre2_compile_context_create(nullptr), pcre2_compile_context_free);
  pcre2_set_newline(context.get(), PCRE2_NEWLINE_LF);
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  // Ruby syntax: ^ and $ match at line boundaries, hence PCRE2_MULTILINE.
  CodePtr code(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated->text.data()),
                             translated->text.size(), PCRE2_UTF | PCRE2_UCP | PCRE2_MULTILINE,
                             &error_code, &error_offset, context.get()));
  if (code == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error_code, message, sizeof(message));
    return PatternError(onig_pattern, translated->SourceOffset(error_offset, onig_pattern.size()),
                        reinterpret_cast<const char*>(message));
  }
  // Without a JIT for this machine pcre2_match interprets the pattern instead.
  pcre2_jit_compile(code.get(), PCRE2_JIT_COMPLETE);
  return std::make_unique<Pcre2SplitRegex>(std::move(code));
}

}  // namespace tokgraft
