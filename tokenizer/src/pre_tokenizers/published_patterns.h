// The split patterns of published tokenizers, byte for byte as they appear in
// their tokenizer.json / tiktoken definitions. The hand-written scanners
// recognise exactly these strings.
#ifndef TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_PUBLISHED_PATTERNS_H_
#define TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_PUBLISHED_PATTERNS_H_

namespace tokgraft::patterns {

// GPT-2, r50k/p50k, and ByteLevel's use_regex.
inline constexpr char kGpt2[] =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
// cl100k_base; Llama 3 uses the same pattern.
inline constexpr char kCl100k[] =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
// Qwen2/Qwen3: cl100k with single digits.
inline constexpr char kQwen2[] =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
inline constexpr char kO200k[] =
    R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

}  // namespace tokgraft::patterns

#endif  // TOKGRAFT_TOKENIZER_PRE_TOKENIZERS_PUBLISHED_PATTERNS_H_
