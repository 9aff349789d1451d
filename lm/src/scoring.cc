// The scoring protocol of `tokgraft eval` (the same as the NumPy reference's).
#include "tokgraft/lm.h"

namespace tokgraft {

std::vector<std::string> SplitCorpusDocuments(const std::string& text) {
  std::vector<std::string> docs;
  std::string current;
  bool first_line = true;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    const std::string_view line(text.data() + pos, eol - pos);
    if (line == "\x1e") {
      if (!current.empty()) docs.push_back(std::move(current));
      current.clear();
      first_line = true;
    } else {
      if (!first_line) current += '\n';
      current.append(line);
      first_line = false;
    }
    pos = eol + 1;
  }
  if (current.find_first_not_of('\n') != std::string::npos) docs.push_back(std::move(current));
  return docs;
}

absl::StatusOr<std::vector<double>> ScoreTokens(const TransformerLM& model, const std::vector<uint32_t>& tokens,
                                                int context) {
  const int eos = model.config().eos_token_id;
  if (eos < 0) return absl::InvalidArgumentError("the model's config.json has no eos_token_id to start documents with");
  if (context < 1) return absl::InvalidArgumentError("the context must hold at least one token");
  std::vector<uint32_t> sequence = {static_cast<uint32_t>(eos)};
  sequence.insert(sequence.end(), tokens.begin(), tokens.end());
  // Windows of `context` inputs, each predicting the token after every input.
  std::vector<std::vector<uint32_t>> windows, targets;
  for (size_t start = 0; start + 1 < sequence.size(); start += context) {
    const size_t end = std::min(sequence.size() - 1, start + context);
    windows.emplace_back(sequence.begin() + start, sequence.begin() + end);
    targets.emplace_back(sequence.begin() + start + 1, sequence.begin() + end + 1);
  }
  std::vector<std::vector<float>> logprobs;
  if (absl::Status s = model.ScoreTargets(windows, targets, &logprobs); !s.ok()) return s;
  std::vector<double> out;
  for (const std::vector<float>& window : logprobs) out.insert(out.end(), window.begin(), window.end());
  return out;
}

}  // namespace tokgraft
