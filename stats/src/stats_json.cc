// StatsToJson: the report as one JSON document (schema in README.md,
// "tokgraft stats").
#include <cmath>

#include "absl/strings/str_format.h"
#include "tokgraft/json_string.h"
#include "tokgraft/stats.h"

namespace tokgraft::stats {
namespace {

void AppendNumber(double value, std::string* out) {
  if (std::isfinite(value)) {
    absl::StrAppendFormat(out, "%.6g", value);
  } else {
    out->append("null");
  }
}

void AppendKey(const char* key, std::string* out) { absl::StrAppendFormat(out, "\"%s\":", key); }

// Token bytes may split a character: shown as the reference shows them.
void AppendBytes(std::string_view bytes, std::string* out) { AppendJsonString(ToValidUtf8Lossy(bytes), out); }

void AppendExamples(const std::vector<TokenExample>& examples, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < examples.size(); ++i) {
    if (i) out->push_back(',');
    absl::StrAppendFormat(out, "{\"id\":%d,\"token\":", examples[i].id);
    AppendBytes(examples[i].token, out);
    out->append(",\"bytes\":");
    AppendBytes(examples[i].bytes, out);
    absl::StrAppendFormat(out, ",\"length\":%d}", examples[i].bytes.size());
  }
  out->push_back(']');
}

void AppendWordValidity(const std::optional<WordValidity>& validity, std::string* out) {
  if (!validity) {
    out->append("null");
    return;
  }
  out->append("{\"dictionary\":");
  AppendJsonString(validity->dictionary, out);
  absl::StrAppendFormat(out,
                        ",\"alphabetic_tokens\":%d,\"valid_tokens\":%d,\"valid_share\":", validity->alphabetic_tokens,
                        validity->valid_tokens);
  AppendNumber(validity->alphabetic_tokens ? double(validity->valid_tokens) / validity->alphabetic_tokens : NAN, out);
  absl::StrAppendFormat(out, ",\"word_initial_tokens\":%d,\"word_initial_valid\":%d,\"word_initial_valid_share\":",
                        validity->word_initial_tokens, validity->word_initial_valid);
  AppendNumber(
      validity->word_initial_tokens ? double(validity->word_initial_valid) / validity->word_initial_tokens : NAN, out);
  out->push_back('}');
}

void AppendMetrics(const TextMetrics& m, size_t vocab_size, std::string* out) {
  absl::StrAppendFormat(out,
                        "{\"documents\":%d,\"bytes\":%d,\"characters\":%d,\"tokens\":%d,\"words\":%d,"
                        "\"split_words\":%d,\"distinct_tokens\":%d",
                        m.documents, m.bytes, m.characters, m.tokens, m.words, m.split_words, m.distinct_tokens);
  const std::pair<const char*, double> ratios[] = {
      {"bytes_per_token", BytesPerToken(m)},
      {"characters_per_token", CharactersPerToken(m)},
      {"tokens_per_word", TokensPerWord(m)},
      {"split_word_share", SplitWordShare(m)},
      {"vocab_utilisation", VocabularyUtilisation(m, vocab_size)},
      {"shannon_efficiency", m.shannon_efficiency},
      {"renyi_efficiency", m.renyi_efficiency},
  };
  for (const auto& [key, value] : ratios) {
    out->push_back(',');
    AppendKey(key, out);
    AppendNumber(value, out);
  }
  out->append(",\"token_length_histogram\":[");
  for (size_t i = 0; i < m.token_length_histogram.size(); ++i) {
    absl::StrAppendFormat(out, "%s%d", i ? "," : "", m.token_length_histogram[i]);
  }
  out->append("],\"word_validity\":");
  AppendWordValidity(m.word_validity, out);
  out->push_back('}');
}

void AppendStrings(const std::vector<std::string>& strings, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < strings.size(); ++i) {
    if (i) out->push_back(',');
    AppendBytes(strings[i], out);
  }
  out->push_back(']');
}

void AppendFacts(const TokenizerFacts& f, std::string* out) {
  AppendKey("format", out);
  AppendJsonString(f.format, out);
  out->append(",\"model_type\":");
  AppendJsonString(f.model_type, out);
  absl::StrAppendFormat(out, ",\"vocab_size\":%d,\"regular_tokens\":%d,\"byte_fallback_tokens\":%d", f.vocab_size,
                        f.regular_tokens, f.byte_fallback_tokens);
  absl::StrAppendFormat(out, ",\"byte_coverage\":{\"covered\":%d,\"missing\":[", 256 - f.missing_bytes.size());
  for (size_t i = 0; i < f.missing_bytes.size(); ++i) {
    absl::StrAppendFormat(out, "%s%d", i ? "," : "", f.missing_bytes[i]);
  }
  absl::StrAppendFormat(out, "]},\"special_tokens\":%d,\"added_tokens\":%d,\"added_token_examples\":[",
                        f.special_tokens, f.added_tokens);
  for (size_t i = 0; i < f.added_token_examples.size(); ++i) {
    const SpecialTokenInfo& t = f.added_token_examples[i];
    absl::StrAppendFormat(out, "%s{\"id\":%d,\"content\":", i ? "," : "", t.id);
    AppendBytes(t.content, out);
    absl::StrAppendFormat(out, ",\"special\":%s}", t.special ? "true" : "false");
  }
  absl::StrAppendFormat(out, "],\"unreachable\":{\"checked\":%d,\"count\":%d,\"examples\":", f.reachability_checked,
                        f.unreachable);
  AppendExamples(f.unreachable_examples, out);
  out->append("},\"longest_tokens\":");
  AppendExamples(f.longest_tokens, out);
  const NumberHandling& n = f.numbers;
  out->append(",\"numbers\":{\"vocabulary_grouping\":");
  AppendJsonString(n.vocabulary_grouping, out);
  absl::StrAppendFormat(out, ",\"longest_digit_token\":%d,\"digit_tokens\":%d,\"probe\":", n.longest_digit_token,
                        n.digit_tokens);
  AppendJsonString(kNumberProbe, out);
  out->append(",\"probe_pieces\":");
  AppendStrings(n.probe_pieces, out);
  out->append(",\"observed_grouping\":");
  AppendJsonString(n.observed_grouping, out);
  absl::StrAppendFormat(out, ",\"consistent\":%s}", n.consistent ? "true" : "false");
}

}  // namespace

std::string StatsToJson(const StatsReport& report) {
  std::string out;
  absl::StrAppendFormat(&out, "{\"renyi_alpha\":%g,\"threads\":%d,\"seconds\":", kRenyiAlpha, report.threads);
  AppendNumber(report.seconds, &out);
  out.append(",\"categories\":");
  AppendStrings(report.categories, &out);
  out.append(",\"tokenizers\":[");
  for (size_t t = 0; t < report.tokenizers.size(); ++t) {
    const TokenizerStats& tok = report.tokenizers[t];
    out.append(t ? ",\n{\"name\":" : "\n{\"name\":");
    AppendJsonString(tok.name, &out);
    out.append(",\"path\":");
    AppendJsonString(tok.path, &out);
    out.append(",\"load_seconds\":");
    AppendNumber(tok.load_seconds, &out);
    out.append(",\"encode_seconds\":");
    AppendNumber(tok.encode_seconds, &out);
    out.append(",\"encode_mb_per_s\":");
    AppendNumber(EncodeMegabytesPerSecond(tok), &out);
    out.push_back(',');
    AppendFacts(tok.facts, &out);
    out.append(",\"overall\":");
    AppendMetrics(tok.overall, tok.facts.vocab_size, &out);
    out.append(",\"categories\":{");
    for (size_t c = 0; c < tok.categories.size(); ++c) {
      out.append(c ? ",\n" : "\n");
      AppendJsonString(report.categories[c], &out);
      out.push_back(':');
      AppendMetrics(tok.categories[c], tok.facts.vocab_size, &out);
    }
    out.append("}}");
  }
  out.append("],\n\"shared_tokens\":{\"tokenizers\":[");
  for (size_t t = 0; t < report.tokenizers.size(); ++t) {
    if (t) out.push_back(',');
    AppendJsonString(report.tokenizers[t].name, &out);
  }
  out.append("],\"counts\":[");
  for (size_t i = 0; i < report.shared_tokens.size(); ++i) {
    out.append(i ? ",[" : "[");
    for (size_t j = 0; j < report.shared_tokens[i].size(); ++j) {
      absl::StrAppendFormat(&out, "%s%d", j ? "," : "", report.shared_tokens[i][j]);
    }
    out.push_back(']');
  }
  out.append("]}}\n");
  return out;
}

}  // namespace tokgraft::stats
