#include "token_pieces.h"

#include "simdjson.h"

namespace tokgraft::transplant {
namespace {

bool IsValidUtf8(const std::string& s) {
  return simdjson::validate_utf8(s.data(), s.size());
}

}  // namespace

std::vector<uint32_t> BasePieces(const ModelFolder& base, const std::map<std::string, uint32_t>& base_by_bytes,
                                 const std::string& bytes) {
  std::vector<uint32_t> pieces;
  if (bytes.empty()) return pieces;
  if (IsValidUtf8(bytes)) {
    EncodeOptions options;
    options.split_special_tokens = true;
    absl::StatusOr<Encoding> encoding = base.tokenizer->Encode(bytes, options);
    if (encoding.ok()) {
      for (uint32_t id : encoding->ids) {
        if (id >= base.rows) return {};
        pieces.push_back(id);
      }
      return pieces;
    }
  }
  for (char c : bytes) {
    auto it = base_by_bytes.find(std::string(1, c));
    if (it == base_by_bytes.end()) return {};
    pieces.push_back(it->second);
  }
  return pieces;
}

std::map<uint32_t, std::pair<uint32_t, uint32_t>> MergeParents(const ModelFolder& base) {
  std::map<uint32_t, std::pair<uint32_t, uint32_t>> parents;
  if (base.tokenizer_json.empty()) return parents;
  simdjson::dom::parser parser;
  simdjson::dom::array merges;
  if (parser.parse(base.tokenizer_json)["model"]["merges"].get_array().get(merges) != simdjson::SUCCESS) {
    return parents;
  }
  for (simdjson::dom::element merge : merges) {
    std::string left, right;
    std::string_view text;
    simdjson::dom::array pair;
    if (merge.get_string().get(text) == simdjson::SUCCESS) {
      const size_t space = text.find(' ');
      if (space == std::string_view::npos) continue;
      left = text.substr(0, space);
      right = text.substr(space + 1);
    } else if (merge.get_array().get(pair) == simdjson::SUCCESS && pair.size() == 2) {
      std::string_view a, b;
      if (pair.at(0).get_string().get(a) != simdjson::SUCCESS || pair.at(1).get_string().get(b) != simdjson::SUCCESS) {
        continue;
      }
      left = a, right = b;
    } else {
      continue;
    }
    auto l = base.tokenizer->TokenToId(left), r = base.tokenizer->TokenToId(right);
    auto merged = base.tokenizer->TokenToId(left + right);
    if (l && r && merged && *l < base.rows && *r < base.rows) parents.emplace(*merged, std::make_pair(*l, *r));
  }
  return parents;
}

}  // namespace tokgraft::transplant
