// Deliberately includes no Abseil header (see spm_processor.h).
#include "spm/spm_processor.h"

#include <sentencepiece_processor.h>

namespace tokgraft::spm {

struct Processor::Impl {
  sentencepiece::SentencePieceProcessor sp;
};

Processor::Processor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Processor::~Processor() = default;

std::unique_ptr<Processor> Processor::Load(const std::string& path, std::string* error) {
  auto impl = std::make_unique<Impl>();
  const auto status = impl->sp.Load(path);
  if (!status.ok()) {
    *error = status.ToString();
    return nullptr;
  }
  return std::unique_ptr<Processor>(new Processor(std::move(impl)));
}

bool Processor::Encode(std::string_view text, std::vector<Piece>* pieces, std::string* error) const {
  sentencepiece::ImmutableSentencePieceText spt;
  const auto status = impl_->sp.Encode(text, spt.mutable_proto());
  if (!status.ok()) {
    *error = status.ToString();
    return false;
  }
  pieces->clear();
  for (const auto& p : spt.pieces()) pieces->push_back({static_cast<int>(p.id()), p.begin(), p.end()});
  return true;
}

bool Processor::Decode(const std::vector<int>& ids, std::string* text, std::string* error) const {
  const auto status = impl_->sp.Decode(ids, text);
  if (!status.ok()) {
    *error = status.ToString();
    return false;
  }
  return true;
}

int Processor::size() const { return impl_->sp.GetPieceSize(); }
const std::string& Processor::piece(int id) const { return impl_->sp.IdToPiece(id); }
int Processor::PieceToId(std::string_view piece) const { return impl_->sp.PieceToId(piece); }
bool Processor::IsControl(int id) const { return impl_->sp.IsControl(id); }
bool Processor::IsUnknown(int id) const { return impl_->sp.IsUnknown(id); }
bool Processor::IsByte(int id) const { return impl_->sp.IsByte(id); }
int Processor::bos_id() const { return impl_->sp.bos_id(); }
int Processor::eos_id() const { return impl_->sp.eos_id(); }
std::string Processor::SerializedModel() const { return impl_->sp.serialized_model_proto(); }

}  // namespace tokgraft::spm
