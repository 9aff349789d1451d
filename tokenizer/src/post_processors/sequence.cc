#include "absl/strings/str_join.h"
#include "post_processor.h"

namespace tokgraft {
namespace {

class SequencePostProcessor : public PostProcessor {
 public:
  explicit SequencePostProcessor(std::vector<std::unique_ptr<PostProcessor>> steps)
      : steps_(std::move(steps)) {}

  void Process(std::string_view text, Encoding* encoding, const EncodeOptions& options,
               const std::vector<std::string>& token_strings) const override {
    for (const auto& step : steps_) step->Process(text, encoding, options, token_strings);
  }

  std::string Describe() const override {
    std::vector<std::string> parts;
    for (const auto& step : steps_) parts.push_back(step->Describe());
    return "Sequence[" + absl::StrJoin(parts, ", ") + "]";
  }

 private:
  std::vector<std::unique_ptr<PostProcessor>> steps_;
};

}  // namespace

std::unique_ptr<PostProcessor> MakeSequencePostProcessor(
    std::vector<std::unique_ptr<PostProcessor>> steps) {
  return std::make_unique<SequencePostProcessor>(std::move(steps));
}

}  // namespace tokgraft
