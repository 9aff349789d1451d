// tokgraft info: what a tokenizer is.
#include "absl/strings/str_format.h"
#include "args.h"
#include "commands.h"
#include "io.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft::cli {
namespace {

constexpr char kHelp[] = R"(usage: tokgraft info -t PATH [--json] [--all]

Describes a tokenizer: format, model type, vocabulary size, pipeline stages and
special/added tokens.

  -t, --tokenizer PATH  as for encode
  --pattern NAME        as for encode (.tiktoken files)
  --json                one JSON object instead of text
  --all                 list every added token (default: the first 20)
)";

}  // namespace

absl::Status RunInfo(const std::vector<std::string>& argv) {
  ArgSpec spec;
  spec.flags = {"--json", "--all"};
  AddTokenizerOptions(&spec);
  absl::StatusOr<Args> args = Args::Parse(argv, spec);
  if (!args.ok()) return args.status();
  if (args->Has("--help")) return PrintHelp(kHelp);
  absl::StatusOr<std::unique_ptr<Tokenizer>> tok = LoadTokenizerFromArgs(*args);
  if (!tok.ok()) return tok.status();
  const std::string path = *args->Value("--tokenizer");
  const TokenizerInfo info = (*tok)->Info();

  Output out;
  std::string* s = out.buffer();
  if (args->Has("--json")) {
    s->append("{\"path\":");
    AppendJsonString(path, s);
    s->append(",\"format\":");
    AppendJsonString(info.format, s);
    s->append(",\"model_type\":");
    AppendJsonString(info.model_type, s);
    absl::StrAppendFormat(s, ",\"vocab_size\":%d,\"pipeline\":[", info.vocab_size);
    for (size_t i = 0; i < info.pipeline.size(); ++i) {
      if (i) s->push_back(',');
      AppendJsonString(info.pipeline[i], s);
    }
    s->append("],\"added_tokens\":[");
    for (size_t i = 0; i < info.added_tokens.size(); ++i) {
      if (i) s->push_back(',');
      absl::StrAppendFormat(s, "{\"id\":%d,\"content\":", info.added_tokens[i].id);
      AppendJsonString(info.added_tokens[i].content, s);
      absl::StrAppendFormat(s, ",\"special\":%s}", info.added_tokens[i].special ? "true" : "false");
    }
    s->append("]}\n");
    return out.Flush();
  }
  size_t special = 0;
  for (const auto& t : info.added_tokens) special += t.special;
  absl::StrAppendFormat(s, "path:          %s\nformat:        %s\nmodel:         %s\nvocab size:    %d\n", path,
                        info.format, info.model_type, info.vocab_size);
  for (const std::string& line : info.pipeline) absl::StrAppendFormat(s, "  %s\n", line);
  absl::StrAppendFormat(s, "added tokens:  %d (%d special)\n", info.added_tokens.size(), special);
  const size_t shown = args->Has("--all") ? info.added_tokens.size() : std::min<size_t>(20, info.added_tokens.size());
  for (size_t i = 0; i < shown; ++i) {
    const auto& t = info.added_tokens[i];
    absl::StrAppendFormat(s, "  %7d  ", t.id);
    AppendJsonString(t.content, s);
    s->append(t.special ? "  special\n" : "\n");
  }
  if (shown < info.added_tokens.size()) {
    absl::StrAppendFormat(s, "  ... %d more (--all lists them)\n", info.added_tokens.size() - shown);
  }
  return out.Flush();
}

}  // namespace tokgraft::cli
