#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "decoders/decoders.h"

namespace tokgraft {
namespace {

class FuseDecoder : public Decoder {
 public:
  void DecodeChain(std::vector<std::string>* tokens) const override {
    std::string fused = absl::StrJoin(*tokens, "");
    tokens->assign(1, std::move(fused));
  }

  std::string Describe() const override { return "Fuse"; }
};

}  // namespace

std::unique_ptr<Decoder> MakeFuseDecoder() { return std::make_unique<FuseDecoder>(); }

}  // namespace tokgraft
