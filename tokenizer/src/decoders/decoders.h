// The decoders of tokenizer.json, each reproducing the reference's
// decode_chain.
#ifndef TOKGRAFT_TOKENIZER_DECODERS_DECODERS_H_
#define TOKGRAFT_TOKENIZER_DECODERS_DECODERS_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "decoder.h"

namespace tokgraft {

// Maps GPT-2's byte characters back to raw bytes and fuses all tokens into one
// string. A token holding any character outside the alphabet passes through
// whole, as its UTF-8. The result is raw bytes, possibly invalid UTF-8.
std::unique_ptr<Decoder> MakeByteLevelDecoder();

// Turns runs of "<0xNN>" tokens into their bytes: one token if the run is
// valid UTF-8, else one U+FFFD per byte.
std::unique_ptr<Decoder> MakeByteFallbackDecoder();

// Joins all tokens into one.
std::unique_ptr<Decoder> MakeFuseDecoder();

// Removes up to `start` leading and up to `stop` trailing `content`
// characters from each token. `content` is one UTF-8 character.
std::unique_ptr<Decoder> MakeStripDecoder(std::string content, size_t start, size_t stop);

// Replaces every match of `pattern` (literal, or regex compiled with
// SplitRegex::Compile) in each token by `content`. Fails on an empty pattern
// or a regex that does not compile.
absl::StatusOr<std::unique_ptr<Decoder>> MakeReplaceDecoder(std::string pattern,
                                                            bool pattern_is_regex,
                                                            std::string content);

// When the Metaspace pre-tokenizer puts the replacement character in front of
// the text: always, at the start of the first piece only, or never.
enum class PrependScheme { kAlways, kFirst, kNever };

// Turns `replacement` (one UTF-8 character, usually "▁") back into spaces;
// unless `scheme` is kNever, the first token loses all of its replacement
// characters instead. `split` only matters when pre-tokenizing.
std::unique_ptr<Decoder> MakeMetaspaceDecoder(std::string replacement, PrependScheme scheme,
                                              bool split);

// Applies `steps` in order.
std::unique_ptr<Decoder> MakeSequenceDecoder(std::vector<std::unique_ptr<Decoder>> steps);

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_DECODERS_DECODERS_H_
