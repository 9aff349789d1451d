// Tokenizer over a sentencepiece .model, run by libsentencepiece itself (the
// reference for these files), BPE and Unigram alike.
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "loaders/loaders.h"
#include "spm/model_type.h"
#include "spm/spm_processor.h"
#include "utf8.h"

namespace tokgraft {
namespace {

class SentencePieceTokenizer : public Tokenizer {
 public:
  SentencePieceTokenizer(std::unique_ptr<spm::Processor> sp, std::string model_type)
      : sp_(std::move(sp)), model_type_(std::move(model_type)) {}

  absl::StatusOr<Encoding> Encode(std::string_view text, const EncodeOptions& options) const override {
    if (size_t bad = utf8::FindInvalid(text); bad != std::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrFormat("invalid UTF-8 in text at byte %d", bad));
    }
    if (options.dropout != 0) {
      // libsentencepiece seeds its sampler once per thread, so a per-call
      // seed could not make the ids reproducible.
      return absl::InvalidArgumentError(
          "BPE-dropout is not supported for sentencepiece .model files; use the model's tokenizer.json");
    }
    if (options.with_pretoken_ids) {
      return absl::InvalidArgumentError(
          "pre-token ids are not available for sentencepiece .model files; use the model's tokenizer.json");
    }
    std::vector<spm::Piece> pieces;
    std::string error;
    if (!sp_->Encode(text, &pieces, &error)) return absl::InternalError("sentencepiece: " + error);
    Encoding out;
    // sentencepiece has no template; BOS is what its models' users prepend.
    if (options.add_special_tokens && sp_->bos_id() >= 0) {
      out.ids.push_back(static_cast<uint32_t>(sp_->bos_id()));
      if (options.with_offsets) out.offsets.push_back({0, 0});
    }
    for (const spm::Piece& p : pieces) {
      out.ids.push_back(static_cast<uint32_t>(p.id));
      if (options.with_offsets) out.offsets.push_back({p.begin, p.end});
    }
    return out;
  }

  absl::StatusOr<std::string> Decode(absl::Span<const uint32_t> ids, bool skip_special_tokens) const override {
    std::vector<int> kept;
    kept.reserve(ids.size());
    for (uint32_t id : ids) {
      if (id >= static_cast<uint32_t>(sp_->size())) {
        return absl::InvalidArgumentError(
            absl::StrFormat("id %d is not in the vocabulary (ids run from 0 to %d)", id, sp_->size() - 1));
      }
      if (skip_special_tokens && sp_->IsControl(static_cast<int>(id))) continue;
      kept.push_back(static_cast<int>(id));
    }
    std::string text, error;
    if (!sp_->Decode(kept, &text, &error)) return absl::InternalError("sentencepiece: " + error);
    return text;
  }

  std::optional<uint32_t> TokenToId(std::string_view token) const override {
    const int id = sp_->PieceToId(token);
    if (id < 0 || sp_->piece(id) != token) return std::nullopt;  // PieceToId answers unk when absent
    return static_cast<uint32_t>(id);
  }

  std::optional<std::string> IdToToken(uint32_t id) const override {
    if (id >= static_cast<uint32_t>(sp_->size())) return std::nullopt;
    return sp_->piece(static_cast<int>(id));
  }

  std::optional<std::string> IdToBytes(uint32_t id) const override {
    std::optional<std::string> piece = IdToToken(id);
    if (!piece) return std::nullopt;
    if (sp_->IsByte(static_cast<int>(id))) {
      // "<0xNN>"
      return std::string(1, static_cast<char>(std::stoi(piece->substr(3, 2), nullptr, 16)));
    }
    return absl::StrReplaceAll(*piece, {{"\xE2\x96\x81", " "}});
  }

  TokenizerInfo Info() const override {
    TokenizerInfo info;
    info.format = "sentencepiece";
    info.model_type = model_type_;
    info.vocab_size = static_cast<size_t>(sp_->size());
    info.pipeline.push_back("libsentencepiece (normalizer, model and decoder as stored in the .model)");
    for (int id = 0; id < sp_->size(); ++id) {
      if (sp_->IsControl(id) || sp_->IsUnknown(id)) info.added_tokens.push_back({static_cast<uint32_t>(id), sp_->piece(id), true});
    }
    return info;
  }

 private:
  std::unique_ptr<spm::Processor> sp_;
  std::string model_type_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Tokenizer>> LoadSentencePiece(const std::string& path) {
  std::string error;
  std::unique_ptr<spm::Processor> sp = spm::Processor::Load(path, &error);
  if (!sp) {
    return absl::InvalidArgumentError(absl::StrFormat("%s is not a sentencepiece model: %s", path, error));
  }
  std::string type = spm::ModelTypeName(sp->SerializedModel());
  return std::unique_ptr<Tokenizer>(new SentencePieceTokenizer(std::move(sp), std::move(type)));
}

}  // namespace tokgraft
