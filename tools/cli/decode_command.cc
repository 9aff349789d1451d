// tokgraft decode: ids -> text.
#include "absl/strings/str_format.h"
#include "args.h"
#include "commands.h"
#include "io.h"
#include "simdjson.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft::cli {
namespace {

constexpr char kHelp[] = R"(usage: tokgraft decode -t PATH [--jsonl] [--skip-special] [FILE...]

Decodes token ids into text. With no FILE, reads standard input.

  -t, --tokenizer PATH  as for encode
  --pattern NAME        as for encode (.tiktoken files)
  --jsonl               each input line is a JSON array of ids; prints each text
                        as a JSON string on its own line (invalid UTF-8 made
                        valid with U+FFFD, as the reference does)
                        default: the input holds the ids of one text (a JSON
                        array, or ids separated by spaces, commas or newlines)
                        and the exact decoded bytes are printed
  --skip-special        leave special tokens out
)";

absl::StatusOr<std::vector<uint32_t>> ParseIdArray(simdjson::dom::parser& parser, std::string_view line,
                                                   const std::string& where) {
  simdjson::dom::element doc;
  simdjson::dom::array array;
  if (parser.parse(simdjson::padded_string(line)).get(doc) != simdjson::SUCCESS ||
      doc.get_array().get(array) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: not a JSON array of ids", where));
  }
  std::vector<uint32_t> ids;
  for (simdjson::dom::element e : array) {
    uint64_t id;
    if (e.get_uint64().get(id) != simdjson::SUCCESS || id > UINT32_MAX) {
      return absl::InvalidArgumentError(absl::StrFormat("%s: ids must be non-negative integers", where));
    }
    ids.push_back(static_cast<uint32_t>(id));
  }
  return ids;
}

// Ids separated by spaces, commas or newlines, optionally inside [ ].
absl::StatusOr<std::vector<uint32_t>> ParseLooseIds(std::string_view text, const std::string& where) {
  std::vector<uint32_t> ids;
  uint64_t value = 0;
  bool in_number = false;
  for (size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : ' ';
    if (c >= '0' && c <= '9') {
      value = value * 10 + static_cast<uint64_t>(c - '0');
      if (value > UINT32_MAX) return absl::InvalidArgumentError(absl::StrFormat("%s: id too large", where));
      in_number = true;
      continue;
    }
    if (c != ' ' && c != ',' && c != '\n' && c != '\r' && c != '\t' && c != '[' && c != ']') {
      return absl::InvalidArgumentError(absl::StrFormat("%s: unexpected '%c' at byte %d; expected ids", where, c, i));
    }
    if (in_number) ids.push_back(static_cast<uint32_t>(value));
    value = 0;
    in_number = false;
  }
  return ids;
}

}  // namespace

absl::Status RunDecode(const std::vector<std::string>& argv) {
  ArgSpec spec;
  spec.flags = {"--jsonl", "--skip-special"};
  AddTokenizerOptions(&spec);
  absl::StatusOr<Args> args = Args::Parse(argv, spec);
  if (!args.ok()) return args.status();
  if (args->Has("--help")) return PrintHelp(kHelp);
  absl::StatusOr<std::unique_ptr<Tokenizer>> tok = LoadTokenizerFromArgs(*args);
  if (!tok.ok()) return tok.status();
  const bool skip_special = args->Has("--skip-special");

  std::vector<std::string> files = args->positional();
  if (files.empty()) files.push_back("-");
  simdjson::dom::parser parser;
  Output out;
  for (const std::string& file : files) {
    absl::StatusOr<std::string> text = ReadFile(file);
    if (!text.ok()) return text.status();
    if (!args->Has("--jsonl")) {
      absl::StatusOr<std::vector<uint32_t>> ids = ParseLooseIds(*text, file);
      if (!ids.ok()) return ids.status();
      absl::StatusOr<std::string> decoded = (*tok)->Decode(*ids, skip_special);
      if (!decoded.ok()) return absl::InvalidArgumentError(absl::StrFormat("%s: %s", file, decoded.status().message()));
      out.Append(*decoded);
      continue;
    }
    absl::Status read = ForEachLine(*text, [&](size_t line_number, std::string_view line) -> absl::Status {
      const std::string where = absl::StrFormat("%s:%d", file, line_number);
      absl::StatusOr<std::vector<uint32_t>> ids = ParseIdArray(parser, line, where);
      if (!ids.ok()) return ids.status();
      absl::StatusOr<std::string> decoded = (*tok)->Decode(*ids, skip_special);
      if (!decoded.ok()) return absl::InvalidArgumentError(absl::StrFormat("%s: %s", where, decoded.status().message()));
      AppendJsonString(ToValidUtf8Lossy(*decoded), out.buffer());
      out.Append("\n");
      return out.MaybeFlush();
    });
    if (!read.ok()) return read;
  }
  return out.Flush();
}

}  // namespace tokgraft::cli
