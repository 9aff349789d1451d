#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "decoders/decoders.h"

namespace tokgraft {
namespace {

const char* SchemeName(PrependScheme scheme) {
  switch (scheme) {
    case PrependScheme::kAlways:
      return "always";
    case PrependScheme::kFirst:
      return "first";
    case PrependScheme::kNever:
      return "never";
  }
  return "?";
}

class MetaspaceDecoder : public Decoder {
 public:
  MetaspaceDecoder(std::string replacement, PrependScheme scheme, bool split)
      : replacement_(std::move(replacement)), scheme_(scheme), split_(split) {}

  void DecodeChain(std::vector<std::string>* tokens) const override {
    if (replacement_.empty()) return;
    for (size_t i = 0; i < tokens->size(); ++i) {
      // The reference drops every replacement character of the first token,
      // not only a leading one.
      const bool drop = i == 0 && scheme_ != PrependScheme::kNever;
      std::string& token = (*tokens)[i];
      size_t at = token.find(replacement_);
      if (at == std::string::npos) continue;
      std::string decoded;
      size_t copied = 0;
      for (; at != std::string::npos; at = token.find(replacement_, copied)) {
        decoded.append(token, copied, at - copied);
        if (!drop) decoded += ' ';
        copied = at + replacement_.size();
      }
      decoded.append(token, copied);
      token = std::move(decoded);
    }
  }

  std::string Describe() const override {
    return absl::StrCat("Metaspace(\"", absl::Utf8SafeCEscape(replacement_),
                        "\", prepend_scheme=", SchemeName(scheme_),
                        ", split=", split_ ? "true" : "false", ")");
  }

 private:
  std::string replacement_;
  PrependScheme scheme_;
  bool split_;
};

}  // namespace

std::unique_ptr<Decoder> MakeMetaspaceDecoder(std::string replacement, PrependScheme scheme,
                                              bool split) {
  return std::make_unique<MetaspaceDecoder>(std::move(replacement), scheme, split);
}

}  // namespace tokgraft
