#include "normalizers/replace_pattern.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "utf8.h"

namespace tokgraft {

absl::StatusOr<ReplacePattern> ReplacePattern::Create(std::string pattern, bool is_regex) {
  if (pattern.empty()) return absl::InvalidArgumentError("Replace: empty pattern");
  if (!is_regex) return ReplacePattern(std::move(pattern), nullptr);
  absl::StatusOr<std::unique_ptr<SplitRegex>> regex = SplitRegex::Compile(pattern);
  if (!regex.ok()) return regex.status();
  return ReplacePattern(std::move(pattern), *std::move(regex));
}

void ReplacePattern::FindMatches(std::string_view text, std::vector<ByteSpan>* matches) const {
  if (regex_ == nullptr) {
    for (size_t at = text.find(pattern_); at != std::string_view::npos;
         at = text.find(pattern_, at + pattern_.size())) {
      matches->push_back({static_cast<uint32_t>(at), static_cast<uint32_t>(at + pattern_.size())});
    }
    return;
  }
  for (size_t run = 0; run < text.size();) {
    size_t invalid = utf8::FindInvalid(text.substr(run));
    size_t run_end = invalid == std::string_view::npos ? text.size() : run + invalid;
    if (run_end > run) {
      const size_t first_new = matches->size();
      const auto shift = static_cast<uint32_t>(run);
      regex_->FindMatches(text.substr(run, run_end - run), matches);
      for (size_t i = first_new; i < matches->size(); ++i) {
        (*matches)[i].begin += shift;
        (*matches)[i].end += shift;
      }
    }
    run = run_end + 1;  // past one invalid byte: no match can hold it
  }
}

std::string ReplacePattern::Describe() const {
  if (regex_ == nullptr) return absl::StrCat("\"", absl::Utf8SafeCEscape(pattern_), "\"");
  return absl::StrCat("/", absl::Utf8SafeCEscape(pattern_), "/");
}

}  // namespace tokgraft
