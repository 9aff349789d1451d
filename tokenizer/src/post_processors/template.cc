// TemplateProcessing: surrounds the sequence with special tokens, only when
// special tokens are asked for.
#include "absl/strings/str_join.h"
#include "post_processor.h"

namespace tokgraft {
namespace {

class TemplatePostProcessor : public PostProcessor {
 public:
  explicit TemplatePostProcessor(std::vector<TemplateItem> single) : single_(std::move(single)) {}

  void Process(std::string_view, Encoding* encoding, const EncodeOptions& options,
               const std::vector<std::string>&) const override {
    if (!options.add_special_tokens) return;
    Encoding out;
    for (const TemplateItem& item : single_) {
      if (item.is_sequence) {
        out.ids.insert(out.ids.end(), encoding->ids.begin(), encoding->ids.end());
        if (options.with_offsets) {
          out.offsets.insert(out.offsets.end(), encoding->offsets.begin(), encoding->offsets.end());
        }
        if (options.with_pretoken_ids) {
          out.pretoken_ids.insert(out.pretoken_ids.end(), encoding->pretoken_ids.begin(),
                                  encoding->pretoken_ids.end());
        }
        continue;
      }
      out.ids.insert(out.ids.end(), item.ids.begin(), item.ids.end());
      if (options.with_offsets) out.offsets.insert(out.offsets.end(), item.ids.size(), ByteSpan{0, 0});
      if (options.with_pretoken_ids) out.pretoken_ids.insert(out.pretoken_ids.end(), item.ids.size(), kNoPreToken);
    }
    *encoding = std::move(out);
  }

  std::string Describe() const override {
    std::vector<std::string> parts;
    for (const TemplateItem& item : single_) {
      parts.push_back(item.is_sequence ? "$A" : absl::StrJoin(item.ids, "+"));
    }
    return "TemplateProcessing(" + absl::StrJoin(parts, " ") + ")";
  }

 private:
  std::vector<TemplateItem> single_;
};

}  // namespace

std::unique_ptr<PostProcessor> MakeTemplatePostProcessor(std::vector<TemplateItem> single) {
  return std::make_unique<TemplatePostProcessor>(std::move(single));
}

}  // namespace tokgraft
