#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "aligned_string.h"
#include "normalizers/normalizers.h"

namespace tokgraft {
namespace {

class SequenceNormalizer : public Normalizer {
 public:
  explicit SequenceNormalizer(std::vector<std::unique_ptr<Normalizer>> steps)
      : steps_(std::move(steps)) {}

  void Normalize(AlignedString* text) const override {
    for (const auto& step : steps_) step->Normalize(text);
  }

  std::string Describe() const override {
    return "Sequence[" +
           absl::StrJoin(steps_, ", ",
                         [](std::string* out, const std::unique_ptr<Normalizer>& step) {
                           out->append(step->Describe());
                         }) +
           "]";
  }

 private:
  std::vector<std::unique_ptr<Normalizer>> steps_;
};

}  // namespace

std::unique_ptr<Normalizer> MakeSequenceNormalizer(std::vector<std::unique_ptr<Normalizer>> steps) {
  return std::make_unique<SequenceNormalizer>(std::move(steps));
}

}  // namespace tokgraft
