#include "absl/strings/str_join.h"
#include "pre_tokenizers/pre_tokenizers.h"

namespace tokgraft {
namespace {

class SequencePreTokenizer : public PreTokenizer {
 public:
  explicit SequencePreTokenizer(std::vector<std::unique_ptr<PreTokenizer>> steps)
      : steps_(std::move(steps)) {}

  void PreTokenize(PreTokenized* pre) const override {
    for (const auto& step : steps_) step->PreTokenize(pre);
  }

  std::string Describe() const override {
    std::vector<std::string> parts;
    for (const auto& step : steps_) parts.push_back(step->Describe());
    return "Sequence[" + absl::StrJoin(parts, ", ") + "]";
  }

 private:
  std::vector<std::unique_ptr<PreTokenizer>> steps_;
};

}  // namespace

std::unique_ptr<PreTokenizer> MakeSequencePreTokenizer(
    std::vector<std::unique_ptr<PreTokenizer>> steps) {
  return std::make_unique<SequencePreTokenizer>(std::move(steps));
}

}  // namespace tokgraft
