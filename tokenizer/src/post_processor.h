// Post-processor stage: adds template tokens (BOS, ...) and adjusts offsets.
#ifndef TOKGRAFT_TOKENIZER_POST_PROCESSOR_H_
#define TOKGRAFT_TOKENIZER_POST_PROCESSOR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tokgraft/tokenizer.h"

namespace tokgraft {

class PostProcessor {
 public:
  virtual ~PostProcessor() = default;
  // `text` is what was encoded; `token_strings[id]` is the token's string as
  // in the tokenizer file. Offsets and pre-token ids are kept in step with
  // the ids when `options` asks for them.
  virtual void Process(std::string_view text, Encoding* encoding, const EncodeOptions& options,
                       const std::vector<std::string>& token_strings) const = 0;
  virtual std::string Describe() const = 0;
};

// One item of a TemplateProcessing "single" template: the sequence itself, or
// the ids of a special token.
struct TemplateItem {
  bool is_sequence = false;
  std::vector<uint32_t> ids;
};

std::unique_ptr<PostProcessor> MakeTemplatePostProcessor(std::vector<TemplateItem> single);
std::unique_ptr<PostProcessor> MakeByteLevelPostProcessor(bool add_prefix_space, bool trim_offsets);
std::unique_ptr<PostProcessor> MakeSequencePostProcessor(
    std::vector<std::unique_ptr<PostProcessor>> steps);

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_POST_PROCESSOR_H_
