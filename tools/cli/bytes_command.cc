// tokgraft bytes: byte-level probabilities of a tokenized model (score,
// complete, next); the work is in bytes/ (tokgraft/byte_lm.h).
#include <cmath>
#include <filesystem>

#include "absl/strings/str_format.h"
#include "args.h"
#include "commands.h"
#include "io.h"
#include "progress.h"
#include "tokgraft/byte_lm.h"
#include "tokgraft/json_string.h"
#include "tokgraft/lm.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft::cli {
namespace {

constexpr char kHelp[] = R"(usage: tokgraft bytes score MODEL [--ensemble MODEL2 --weight W --mode mix|product] [--json]
                            [--max-docs N] [--max-chars N] FILE...
       tokgraft bytes complete MODEL --prompt-file F [--method byte|heal|naive] [--max-bytes N]
                               [--temperature T] [--top-p P] [--seed S] [--utf8]
       tokgraft bytes next MODEL --prompt-file F [--top K]

Byte-level probabilities of a model that reads tokens (Phan et al. 2024): the
probability of a byte string is the sum over the valid token sequences that
cover it, so prompts may end inside a token, and models with different
vocabularies can be combined byte by byte. MODEL is a Llama-family model folder
with a byte-level BPE tokenizer.json (other tokenizers are refused, naming what
is not supported).

score     bits per byte of each FILE (documents separated by a line holding
          only U+001E), per file and overall, under the normalized next-byte
          distribution; beside it the token-level bits per byte (as tokgraft
          eval). --ensemble: MODEL and MODEL2 combined at every byte, a mixture
          W q1 + (1-W) q2 (--mode mix, default) or q1^W q2^(1-W) renormalized
          (--mode product); W defaults to 0.5. --json ends with one line:
          {"docs","bytes","bits","bpb","lm_positions", then "tokens","token_bpb"
          or, with --ensemble, "bpb_a","bpb_b","bpb_other_mode"; "files":{...}}
complete  the continuation of the prompt, written to stdout as bytes:
          --method byte (exact byte-level, default), heal (token healing: the
          prompt's last token removed and regenerated under the constraint that
          it reproduces its bytes) or naive (the prompt's tokens, then tokens).
          --temperature 0 (default) is greedy; --utf8 keeps the output valid
          UTF-8 (byte method).
next      the next-byte distribution after the prompt as JSON:
          {"prompt_bytes","valid_utf8","logprob","end","top":[{"byte","p",
          "text" or "hex"}]}; logprob is log Q(prompt) (natural log).

  --ctx N          LM inputs per window, as tokgraft eval (default 512)
  --prune P        drop branches below P times the prefix's probability
                   (default 0: exact; see README for the error of each P)
  --threads N      threads for the model (default: all cores)
  --max-bytes N    continuation length (default 32)
  --max-docs N, --max-chars N   as tokgraft eval
  --quiet          no progress on stderr

A prompt (or document) that is not valid UTF-8 is handled as bytes: bytes
that are not UTF-8 are one byte token each; a note on stderr says so.
)";

struct Loaded {
  std::unique_ptr<Tokenizer> tokenizer;
  std::unique_ptr<TransformerLM> lm;
  std::unique_ptr<ByteLM> bytes;
};

absl::StatusOr<Loaded> LoadModel(const std::string& dir, const Args& args) {
  if (!std::filesystem::is_directory(dir)) {
    return absl::InvalidArgumentError(absl::StrFormat("%s is not a model folder", dir));
  }
  Loaded m;
  absl::StatusOr<std::unique_ptr<Tokenizer>> tokenizer = LoadTokenizer(dir);
  if (!tokenizer.ok()) return tokenizer.status();
  m.tokenizer = *std::move(tokenizer);
  if (absl::Status s = ByteLM::CheckTokenizer(*m.tokenizer); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: %s", dir, s.message()));
  }
  absl::StatusOr<int> threads = args.IntValue("--threads", 0, 1, 1024);
  if (!threads.ok()) return threads.status();
  LoadModelOptions load;
  load.threads = *threads;
  absl::StatusOr<std::unique_ptr<TransformerLM>> lm = TransformerLM::Load(dir, load);
  if (!lm.ok()) return lm.status();
  m.lm = *std::move(lm);
  if (m.lm->config().eos_token_id < 0) {
    return absl::InvalidArgumentError(absl::StrFormat("%s/config.json has no eos_token_id", dir));
  }
  absl::StatusOr<int> ctx = args.IntValue("--ctx", 512, 1, 1 << 20);
  if (!ctx.ok()) return ctx.status();
  absl::StatusOr<double> prune = args.DoubleValue("--prune", 0, 0, 0.5);
  if (!prune.ok()) return prune.status();
  ByteLMOptions options;
  options.context = *ctx;
  options.prune = *prune;
  absl::StatusOr<std::unique_ptr<ByteLM>> bytes =
      ByteLM::Create(m.lm.get(), m.tokenizer.get(), static_cast<uint32_t>(m.lm->config().eos_token_id), options);
  if (!bytes.ok()) return absl::InvalidArgumentError(absl::StrFormat("%s: %s", dir, bytes.status().message()));
  m.bytes = *std::move(bytes);
  return m;
}

// Says on stderr that `what` is not valid UTF-8 and is handled as bytes.
void NoteInvalidUtf8(const std::string& what, std::string_view bytes) {
  size_t bad = 0;
  while (bad < bytes.size()) {
    const std::string_view rest = bytes.substr(bad);
    const std::string lossy = ToValidUtf8Lossy(rest.substr(0, std::min<size_t>(rest.size(), 4)));
    // Valid prefixes pass through unchanged; find the first byte that does not.
    if (lossy.compare(0, 3, "\xEF\xBF\xBD") == 0 && rest.compare(0, 3, "\xEF\xBF\xBD") != 0) break;
    ++bad;
  }
  std::fprintf(stderr, "tokgraft bytes: note: %s is not valid UTF-8 (byte %zu); it is handled as bytes\n",
               what.c_str(), bad);
}

bool IsValidUtf8(std::string_view bytes) { return ToValidUtf8Lossy(bytes) == bytes; }

struct Totals {
  double bits = 0, token_bits = 0, a_bits = 0, b_bits = 0, other_bits = 0;  // other: the other --mode
  uint64_t bytes = 0, docs = 0, lm_positions = 0, tokens = 0;
  void Add(const Totals& o) {
    bits += o.bits, token_bits += o.token_bits, a_bits += o.a_bits, b_bits += o.b_bits, other_bits += o.other_bits;
    bytes += o.bytes, docs += o.docs, lm_positions += o.lm_positions, tokens += o.tokens;
  }
  double Bpb(double b) const { return bytes ? b / static_cast<double>(bytes) : 0; }
};

void AppendJson(const Totals& t, bool ensemble, std::string* out) {
  // bits: the chosen --mode; bpb_other_mode: the other one (same pass).
  absl::StrAppendFormat(out, "{\"docs\":%d,\"bytes\":%d,\"bits\":%.6f,\"bpb\":%.8f,\"lm_positions\":%d", t.docs,
                        t.bytes, t.bits, t.Bpb(t.bits), t.lm_positions);
  if (ensemble) {
    absl::StrAppendFormat(out, ",\"bpb_a\":%.8f,\"bpb_b\":%.8f,\"bpb_other_mode\":%.8f}", t.Bpb(t.a_bits),
                          t.Bpb(t.b_bits), t.Bpb(t.other_bits));
  } else {
    absl::StrAppendFormat(out, ",\"tokens\":%d,\"token_bpb\":%.8f}", t.tokens, t.Bpb(t.token_bits));
  }
}

absl::Status Score(const Args& args) {
  const std::vector<std::string>& pos = args.positional();
  if (pos.size() < 3) return absl::InvalidArgumentError("bytes score needs MODEL and at least one FILE (see --help)");
  absl::StatusOr<Loaded> a = LoadModel(pos[1], args);
  if (!a.ok()) return a.status();
  std::optional<Loaded> b;
  if (std::optional<std::string> second = args.Value("--ensemble")) {
    absl::StatusOr<Loaded> loaded = LoadModel(*second, args);
    if (!loaded.ok()) return loaded.status();
    b = *std::move(loaded);
  }
  absl::StatusOr<double> weight = args.DoubleValue("--weight", 0.5, 0, 1);
  if (!weight.ok()) return weight.status();
  const std::string mode_name = args.Value("--mode").value_or("mix");
  if (mode_name != "mix" && mode_name != "product") {
    return absl::InvalidArgumentError(absl::StrFormat("--mode must be mix or product, not '%s'", mode_name));
  }
  absl::StatusOr<int> max_docs = args.IntValue("--max-docs", 0, 1, 1 << 30);
  if (!max_docs.ok()) return max_docs.status();
  absl::StatusOr<int> max_chars = args.IntValue("--max-chars", 0, 1, 1 << 30);
  if (!max_chars.ok()) return max_chars.status();
  const int ctx = static_cast<int>(a->bytes->options().context);

  Progress progress(!args.Has("--quiet"));
  Totals overall;
  std::vector<std::pair<std::string, Totals>> per_file;
  for (size_t f = 2; f < pos.size(); ++f) {
    absl::StatusOr<std::string> text = ReadFile(pos[f]);
    if (!text.ok()) return text.status();
    std::vector<std::string> docs = SplitCorpusDocuments(*text);
    if (*max_chars > 0) {
      for (std::string& doc : docs) doc = FirstCharacters(doc, *max_chars);
    }
    if (*max_docs > 0 && docs.size() > static_cast<size_t>(*max_docs)) docs.resize(*max_docs);
    Totals totals;
    for (size_t d = 0; d < docs.size(); ++d) {
      progress.Update(absl::StrFormat("%s: document %d / %d (%.0f s)", pos[f], d + 1, docs.size(), progress.Elapsed()));
      if (!IsValidUtf8(docs[d])) NoteInvalidUtf8(absl::StrFormat("%s document %d", pos[f], d), docs[d]);
      if (b) {
        absl::StatusOr<EnsembleScore> s = ScoreBytesEnsemble(*a->bytes, *b->bytes, *weight, docs[d]);
        if (!s.ok()) return absl::Status(s.status().code(), absl::StrFormat("%s: document %d: %s", pos[f], d, s.status().message()));
        totals.bits += mode_name == "mix" ? s->mix.bits : s->product.bits;
        totals.other_bits += mode_name == "mix" ? s->product.bits : s->mix.bits;
        totals.a_bits += s->a.bits;
        totals.b_bits += s->b.bits;
        totals.lm_positions += s->mix.lm_positions;
      } else {
        absl::StatusOr<ByteScore> s = ScoreBytes(*a->bytes, docs[d]);
        if (!s.ok()) return absl::Status(s.status().code(), absl::StrFormat("%s: document %d: %s", pos[f], d, s.status().message()));
        totals.bits += s->bits;
        totals.lm_positions += s->lm_positions;
        absl::StatusOr<std::vector<uint32_t>> ids = a->bytes->CanonicalEncoding(docs[d]);
        if (!ids.ok()) return ids.status();
        absl::StatusOr<std::vector<double>> lps = ScoreTokens(*a->lm, *ids, ctx);
        if (!lps.ok()) return lps.status();
        for (double lp : *lps) totals.token_bits -= lp / std::log(2.0);
        totals.tokens += ids->size();
      }
      totals.bytes += docs[d].size();
      ++totals.docs;
    }
    overall.Add(totals);
    per_file.emplace_back(pos[f], totals);
  }
  progress.Done();
  Output out;
  const bool ensemble = b.has_value();
  out.Append(absl::StrFormat("%-40s %6s %10s %10s %10s %10s\n", "file", "docs", "bytes", "bpb",
                             ensemble ? "bpb_a" : "token_bpb", ensemble ? "bpb_b" : "rel_diff"));
  per_file.emplace_back("overall", overall);
  for (const auto& [file, t] : per_file) {
    const double second = ensemble ? t.Bpb(t.a_bits) : t.Bpb(t.token_bits);
    const double third = ensemble ? t.Bpb(t.b_bits) : (t.bits - t.token_bits) / std::max(t.token_bits, 1e-300);
    out.Append(absl::StrFormat("%-40s %6d %10d %10.5f %10.5f %10.5f\n", file, t.docs, t.bytes, t.Bpb(t.bits), second, third));
  }
  per_file.pop_back();
  if (args.Has("--json")) {
    out.Append(FilesSummaryJson(overall, per_file,
                                [ensemble](const Totals& t, std::string* json) { AppendJson(t, ensemble, json); }));
  }
  return out.Flush();
}

absl::StatusOr<std::string> ReadPrompt(const Args& args) {
  const std::optional<std::string> file = args.Value("--prompt-file");
  if (!file) return absl::InvalidArgumentError("--prompt-file is required (see --help)");
  absl::StatusOr<std::string> prompt = ReadFile(*file);
  if (prompt.ok() && !IsValidUtf8(*prompt)) NoteInvalidUtf8("the prompt " + *file, *prompt);
  return prompt;
}

absl::Status Complete(const Args& args) {
  if (args.positional().size() != 2) return absl::InvalidArgumentError("bytes complete needs MODEL (see --help)");
  absl::StatusOr<std::string> prompt = ReadPrompt(args);
  if (!prompt.ok()) return prompt.status();
  GenerateOptions options;
  absl::StatusOr<int> max_bytes = args.IntValue("--max-bytes", 32, 0, 1 << 24);
  if (!max_bytes.ok()) return max_bytes.status();
  absl::StatusOr<double> temperature = args.DoubleValue("--temperature", 0, 0, 100);
  if (!temperature.ok()) return temperature.status();
  absl::StatusOr<double> top_p = args.DoubleValue("--top-p", 1, 0, 1);
  if (!top_p.ok()) return top_p.status();
  absl::StatusOr<uint64_t> seed = args.Uint64Value("--seed", 0);
  if (!seed.ok()) return seed.status();
  options.max_bytes = *max_bytes;
  options.temperature = *temperature;
  options.top_p = *top_p;
  options.seed = *seed;
  options.valid_utf8 = args.Has("--utf8");
  const std::string method = args.Value("--method").value_or("byte");
  if (method != "byte" && method != "heal" && method != "naive") {
    return absl::InvalidArgumentError(absl::StrFormat("--method must be byte, heal or naive, not '%s'", method));
  }
  absl::StatusOr<Loaded> m = LoadModel(args.positional()[1], args);
  if (!m.ok()) return m.status();
  absl::StatusOr<std::string> text = method == "byte"   ? GenerateBytes(*m->bytes, *prompt, options)
                                     : method == "heal" ? GenerateHealed(*m->bytes, *prompt, options)
                                                        : GenerateNaive(*m->bytes, *prompt, options);
  if (!text.ok()) return text.status();
  Output out;
  out.Append(*text);
  return out.Flush();
}

absl::Status Next(const Args& args) {
  if (args.positional().size() != 2) return absl::InvalidArgumentError("bytes next needs MODEL (see --help)");
  absl::StatusOr<std::string> prompt = ReadPrompt(args);
  if (!prompt.ok()) return prompt.status();
  absl::StatusOr<int> top = args.IntValue("--top", 10, 1, 257);
  if (!top.ok()) return top.status();
  absl::StatusOr<Loaded> m = LoadModel(args.positional()[1], args);
  if (!m.ok()) return m.status();
  absl::StatusOr<ByteState> started = m->bytes->StartWith(*prompt);
  if (!started.ok()) return started.status();
  ByteState& state = *started;
  absl::StatusOr<ByteLogProbs> q = state.NextByteDistribution();
  if (!q.ok()) return q.status();
  std::vector<int> order(256);
  for (int i = 0; i < 256; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](int x, int y) { return (*q)[x] > (*q)[y]; });
  std::string json = absl::StrFormat("{\"prompt_bytes\":%d,\"valid_utf8\":%s,\"logprob\":%.10g,\"end\":%.8g,\"top\":[",
                                     prompt->size(), IsValidUtf8(*prompt) ? "true" : "false", state.LogProb(),
                                     std::exp((*q)[kEndOfText]));
  for (int k = 0; k < *top && k < 256; ++k) {
    const int b = order[k];
    absl::StrAppendFormat(&json, "%s{\"byte\":%d,\"p\":%.8g,", k ? "," : "", b, std::exp((*q)[b]));
    if (b < 0x80) {
      json += "\"text\":";
      AppendJsonString(std::string(1, static_cast<char>(b)), &json);
    } else {
      absl::StrAppendFormat(&json, "\"hex\":\"%02x\"", b);
    }
    json += "}";
  }
  json += "]}\n";
  Output out;
  out.Append(json);
  return out.Flush();
}

}  // namespace

absl::Status RunBytes(const std::vector<std::string>& argv) {
  ArgSpec spec;
  spec.flags = {"--json", "--quiet", "--utf8", "--help"};
  for (const char* option : {"--ensemble", "--weight", "--mode", "--max-docs", "--max-chars", "--prompt-file",
                             "--method", "--max-bytes", "--seed", "--temperature", "--top-p", "--top", "--ctx",
                             "--prune", "--threads"}) {
    spec.values[option] = option;
  }
  absl::StatusOr<Args> args = Args::Parse(argv, spec);
  if (!args.ok()) return args.status();
  if (args->Has("--help")) return PrintHelp(kHelp);
  if (args->positional().empty()) return absl::InvalidArgumentError("need score, complete or next (see --help)");
  const std::string& sub = args->positional()[0];
  if (sub == "score") return Score(*args);
  if (sub == "complete") return Complete(*args);
  if (sub == "next") return Next(*args);
  return absl::InvalidArgumentError(absl::StrFormat("unknown subcommand '%s': score, complete or next", sub));
}

}  // namespace tokgraft::cli
