#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "decoders/decoders.h"

namespace tokgraft {
namespace {

class StripDecoder : public Decoder {
 public:
  StripDecoder(std::string content, size_t start, size_t stop)
      : content_(std::move(content)), start_(start), stop_(stop) {}

  void DecodeChain(std::vector<std::string>* tokens) const override {
    if (content_.empty()) return;
    const size_t n = content_.size();
    for (std::string& token : *tokens) {
      size_t begin = 0;
      for (size_t i = 0; i < start_ && token.compare(begin, n, content_) == 0; ++i) begin += n;
      // Both ends are measured on the whole token, so they may cross (the
      // reference panics then); nothing is left in that case.
      size_t end = token.size();
      for (size_t i = 0; i < stop_ && end >= n && token.compare(end - n, n, content_) == 0; ++i) {
        end -= n;
      }
      token = end > begin ? token.substr(begin, end - begin) : std::string();
    }
  }

  std::string Describe() const override {
    return absl::StrCat("Strip(\"", absl::Utf8SafeCEscape(content_), "\", start=", start_,
                        ", stop=", stop_, ")");
  }

 private:
  std::string content_;
  size_t start_;
  size_t stop_;
};

}  // namespace

std::unique_ptr<Decoder> MakeStripDecoder(std::string content, size_t start, size_t stop) {
  return std::make_unique<StripDecoder>(std::move(content), start, stop);
}

}  // namespace tokgraft
