#include "pipeline_tokenizer.h"

#include <algorithm>
#include <optional>
#include <random>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "byte_level_alphabet.h"
#include "utf8.h"

namespace tokgraft {
namespace {

AddedTokenMatcher MakeMatcher(const std::vector<AddedToken>& all, bool normalized,
                              const Normalizer* normalizer) {
  std::vector<AddedToken> tokens;
  std::vector<std::string> patterns;
  for (const AddedToken& t : all) {
    if (t.normalized != normalized) continue;
    tokens.push_back(t);
    if (normalized && normalizer) {
      AlignedString s(t.content, 0, false);
      normalizer->Normalize(&s);
      patterns.push_back(s.text());
    } else {
      patterns.push_back(t.content);
    }
  }
  return AddedTokenMatcher(std::move(tokens), std::move(patterns));
}

// "<0x41>" -> 0x41, or -1.
int ByteFallbackValue(std::string_view token) {
  if (token.size() != 6 || token.substr(0, 3) != "<0x" || token[5] != '>') return -1;
  int value = 0;
  for (char c : token.substr(3, 2)) {
    value <<= 4;
    if (c >= '0' && c <= '9') value |= c - '0';
    else if (c >= 'A' && c <= 'F') value |= c - 'A' + 10;
    else return -1;
  }
  return value;
}

// Pre-token ids count up from 0 while encoding; the template comes later.
uint32_t NextPreToken(const Encoding& encoding) {
  return encoding.pretoken_ids.empty() ? 0 : encoding.pretoken_ids.back() + 1;
}

}  // namespace

PipelineTokenizer::PipelineTokenizer(PipelineParts parts)
    : parts_(std::move(parts)),
      raw_added_(MakeMatcher(parts_.added_tokens, false, nullptr)),
      normalized_added_(MakeMatcher(parts_.added_tokens, true, parts_.normalizer.get())) {}

absl::StatusOr<std::unique_ptr<PipelineTokenizer>> PipelineTokenizer::Create(PipelineParts parts) {
  std::unique_ptr<PipelineTokenizer> tok(new PipelineTokenizer(std::move(parts)));
  PipelineParts& p = tok->parts_;
  size_t size = p.model_tokens.size();
  for (const AddedToken& t : p.added_tokens) size = std::max<size_t>(size, t.id + 1);
  tok->token_strings_ = std::move(p.model_tokens);
  tok->token_strings_.resize(size);
  tok->kinds_.assign(size, TokenKind::kModel);
  for (const AddedToken& t : p.added_tokens) {
    // An added token may reuse a model token's id; its content then wins, as
    // in the reference.
    tok->token_strings_[t.id] = t.content;
    tok->added_ids_[t.content] = t.id;
    tok->kinds_[t.id] = t.special ? TokenKind::kSpecial : TokenKind::kAdded;
  }
  return tok;
}

absl::StatusOr<Encoding> PipelineTokenizer::Encode(std::string_view text,
                                                   const EncodeOptions& options) const {
  if (text.size() > UINT32_MAX) {
    return absl::InvalidArgumentError("text is larger than 4 GiB; encode it in parts");
  }
  if (size_t bad = utf8::FindInvalid(text); bad != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrFormat("invalid UTF-8 in text at byte %d", bad));
  }
  if (!(options.dropout >= 0 && options.dropout <= 1)) {
    return absl::InvalidArgumentError(absl::StrFormat("dropout %g is not in [0, 1]", options.dropout));
  }
  std::optional<std::mt19937_64> dropout_rng;  // seeding costs about as much as a short encode
  MergeDropout call_dropout;
  const MergeDropout* dropout = nullptr;
  if (options.dropout > 0) {
    dropout_rng.emplace(options.dropout_seed);
    call_dropout = MergeDropout{options.dropout, &*dropout_rng};
    dropout = &call_dropout;
  }
  const bool track = options.with_offsets;
  Encoding out;
  out.ids.reserve(text.size() / 3);
  auto push_added = [&](uint32_t id, ByteSpan span) {
    if (options.with_pretoken_ids) out.pretoken_ids.push_back(NextPreToken(out));
    out.ids.push_back(id);
    if (track) out.offsets.push_back(span);
  };
  thread_local std::vector<TextSegment> raw_segments;
  std::vector<TextSegment> normalized_segments;
  raw_added_.Split(text, options.split_special_tokens, &raw_segments);
  for (const TextSegment& seg : raw_segments) {
    if (seg.id) {
      push_added(*seg.id, seg.span);
      continue;
    }
    if (seg.span.begin == seg.span.end) continue;
    AlignedString normalized(text.substr(seg.span.begin, seg.span.end - seg.span.begin),
                             seg.span.begin, track);
    if (parts_.normalizer) parts_.normalizer->Normalize(&normalized);
    const bool at_input_start = seg.span.begin == 0;
    if (normalized_added_.empty()) {
      const uint32_t size = static_cast<uint32_t>(normalized.size());
      EncodeNormalized(PreTokenized{std::move(normalized), {{0, size}}, at_input_start}, options, dropout,
                       &out);
      continue;
    }
    normalized_added_.Split(normalized.text(), options.split_special_tokens, &normalized_segments);
    for (const TextSegment& sub : normalized_segments) {
      if (sub.span.begin == sub.span.end) continue;
      if (sub.id) {
        push_added(*sub.id, track ? normalized.OriginOf(sub.span.begin, sub.span.end) : ByteSpan{});
        continue;
      }
      AlignedStringBuilder slice(normalized);
      slice.Copy(sub.span.begin, sub.span.end);
      const uint32_t size = sub.span.end - sub.span.begin;
      EncodeNormalized(PreTokenized{std::move(slice).Finish(), {{0, size}},
                                    at_input_start && sub.span.begin == 0},
                       options, dropout, &out);
    }
  }
  if (parts_.post_processor) {
    parts_.post_processor->Process(text, &out, options, token_strings_);
  }
  return out;
}

void PipelineTokenizer::EncodeNormalized(PreTokenized pre, const EncodeOptions& options,
                                         const MergeDropout* dropout, Encoding* out) const {
  const bool with_offsets = options.with_offsets;
  if (parts_.pre_tokenizer) parts_.pre_tokenizer->PreTokenize(&pre);
  thread_local std::vector<ByteSpan> spans;
  const std::string& text = pre.text.text();
  for (const ByteSpan& piece : pre.pieces) {
    spans.clear();
    parts_.model->Encode(std::string_view(text).substr(piece.begin, piece.end - piece.begin),
                         &out->ids, with_offsets ? &spans : nullptr, dropout);
    if (options.with_pretoken_ids) out->pretoken_ids.resize(out->ids.size(), NextPreToken(*out));
    if (!with_offsets) continue;
    for (const ByteSpan& s : spans) {
      out->offsets.push_back(pre.text.OriginOf(piece.begin + s.begin, piece.begin + s.end));
    }
  }
}

absl::StatusOr<std::string> PipelineTokenizer::Decode(absl::Span<const uint32_t> ids,
                                                      bool skip_special_tokens) const {
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (uint32_t id : ids) {
    if (id >= token_strings_.size() || token_strings_[id].empty()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "id %d is not in the vocabulary (ids run from 0 to %d)", id, token_strings_.size() - 1));
    }
    if (skip_special_tokens && kinds_[id] == TokenKind::kSpecial) continue;
    tokens.push_back(token_strings_[id]);
  }
  if (!parts_.decoder) return absl::StrJoin(tokens, " ");
  parts_.decoder->DecodeChain(&tokens);
  return absl::StrJoin(tokens, "");
}

absl::Status PipelineTokenizer::PreTokenize(std::string_view text,
                                            const std::function<void(std::string_view)>& visit) const {
  if (text.size() > UINT32_MAX) {
    return absl::InvalidArgumentError("text is larger than 4 GiB; pre-tokenize it in parts");
  }
  if (size_t bad = utf8::FindInvalid(text); bad != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrFormat("invalid UTF-8 in text at byte %d", bad));
  }
  AlignedString normalized(text, 0, false);
  if (parts_.normalizer) parts_.normalizer->Normalize(&normalized);
  const uint32_t size = static_cast<uint32_t>(normalized.size());
  PreTokenized pre{std::move(normalized), {{0, size}}, true};
  if (parts_.pre_tokenizer) parts_.pre_tokenizer->PreTokenize(&pre);
  const std::string_view normalized_text = pre.text.text();
  for (const ByteSpan& piece : pre.pieces) {
    if (piece.end > piece.begin) visit(normalized_text.substr(piece.begin, piece.end - piece.begin));
  }
  return absl::OkStatus();
}

std::optional<uint32_t> PipelineTokenizer::TokenToId(std::string_view token) const {
  const absl::string_view key(token.data(), token.size());
  if (auto it = added_ids_.find(key); it != added_ids_.end()) return it->second;
  const auto& vocab = parts_.model->vocab();
  if (!parts_.model->options().byte_level) {
    if (auto it = vocab.find(key); it != vocab.end()) return it->second;
    return std::nullopt;
  }
  std::string bytes;
  if (byte_level::MappedToBytes(token, &bytes)) {
    if (auto it = vocab.find(bytes); it != vocab.end()) return it->second;
  }
  if (auto it = parts_.unreachable_tokens.find(key); it != parts_.unreachable_tokens.end()) return it->second;
  return std::nullopt;
}

std::optional<std::string> PipelineTokenizer::IdToToken(uint32_t id) const {
  if (id >= token_strings_.size() || token_strings_[id].empty()) return std::nullopt;
  return token_strings_[id];
}

std::optional<std::string> PipelineTokenizer::IdToBytes(uint32_t id) const {
  std::optional<std::string> token = IdToToken(id);
  // Added tokens stand for their content, as written.
  if (!token || kinds_[id] != TokenKind::kModel) return token;
  const BpeOptions& model = parts_.model->options();
  if (model.byte_level) {
    std::string bytes;
    if (byte_level::MappedToBytes(*token, &bytes)) return bytes;
    return token;
  }
  if (model.byte_fallback) {
    if (int b = ByteFallbackValue(*token); b >= 0) return std::string(1, static_cast<char>(b));
  }
  return absl::StrReplaceAll(*token, {{"\xE2\x96\x81", " "}});
}

TokenizerInfo PipelineTokenizer::Info() const {
  TokenizerInfo info;
  info.format = parts_.format;
  info.model_type = "BPE";
  info.byte_level = parts_.model->options().byte_level;
  info.vocab_size = token_strings_.size();
  const BpeOptions& m = parts_.model->options();
  info.pipeline.push_back("normalizer: " + (parts_.normalizer ? parts_.normalizer->Describe() : "none"));
  info.pipeline.push_back("pre_tokenizer: " +
                          (parts_.pre_tokenizer ? parts_.pre_tokenizer->Describe() : "none"));
  info.pipeline.push_back(absl::StrFormat(
      "model: BPE(%d tokens, %d merges%s%s%s%s)", parts_.model->vocab().size() + parts_.unreachable_tokens.size(),
      parts_.model->num_merges(), m.byte_level ? ", byte-level" : "",
      m.byte_fallback ? ", byte_fallback" : "", m.ignore_merges ? ", ignore_merges" : "",
      m.unk_token ? ", unk=" + *m.unk_token : ""));
  info.pipeline.push_back("post_processor: " +
                          (parts_.post_processor ? parts_.post_processor->Describe() : "none"));
  info.pipeline.push_back("decoder: " + (parts_.decoder ? parts_.decoder->Describe() : "none"));
  for (const AddedToken& t : parts_.added_tokens) {
    info.added_tokens.push_back({t.id, t.content, t.special});
  }
  return info;
}

absl::StatusOr<std::vector<ByteSpan>> PipelineTokenizer::PreTokenSpans(std::string_view text) const {
  if (parts_.normalizer) {
    return absl::FailedPreconditionError("the tokenizer has a normalizer (" + parts_.normalizer->Describe() +
                                         "): its pre-tokens are not spans of the text");
  }
  if (size_t bad = utf8::FindInvalid(text); bad != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrFormat("invalid UTF-8 in text at byte %d", bad));
  }
  std::vector<ByteSpan> spans;
  std::vector<TextSegment> segments;
  raw_added_.Split(text, /*split_special_tokens=*/true, &segments);
  for (const TextSegment& seg : segments) {
    if (seg.span.begin == seg.span.end) continue;
    if (seg.id || !parts_.pre_tokenizer) {
      spans.push_back(seg.span);
      continue;
    }
    const std::string_view original = text.substr(seg.span.begin, seg.span.end - seg.span.begin);
    const uint32_t size = static_cast<uint32_t>(original.size());
    PreTokenized pre{AlignedString(original, seg.span.begin, /*track=*/false), {{0, size}}, seg.span.begin == 0};
    parts_.pre_tokenizer->PreTokenize(&pre);
    if (pre.text.text() != original) {
      return absl::FailedPreconditionError("the pre-tokenizer " + parts_.pre_tokenizer->Describe() +
                                           " rewrites the text: its pre-tokens are not spans of the text");
    }
    for (const ByteSpan& piece : pre.pieces) spans.push_back({seg.span.begin + piece.begin, seg.span.begin + piece.end});
  }
  return spans;
}

absl::StatusOr<std::vector<uint32_t>> PipelineTokenizer::EncodePiece(std::string_view piece) const {
  if (piece.size() > UINT32_MAX) return absl::InvalidArgumentError("piece is larger than 4 GiB");
  std::vector<uint32_t> ids;
  parts_.model->Encode(piece, &ids, nullptr);
  return ids;
}

}  // namespace tokgraft
