#include "vocabulary_alignment.h"

#include <algorithm>
#include <set>

namespace tokgraft::transplant {
namespace {

bool IsByteFallbackToken(const std::string& token) {
  return token.size() == 6 && token.compare(0, 3, "<0x") == 0 && token[5] == '>' &&
         std::isxdigit(static_cast<unsigned char>(token[3])) && std::isxdigit(static_cast<unsigned char>(token[4]));
}

struct AddedToken {
  std::string content;
  bool special = true;
};

std::map<uint32_t, AddedToken> AddedTokens(const Tokenizer& tokenizer) {
  std::map<uint32_t, AddedToken> added;
  for (const SpecialTokenInfo& t : tokenizer.Info().added_tokens) added[t.id] = {t.content, t.special};
  return added;
}

std::string RoleOf(const ModelFolder& model, uint32_t id) {
  for (const char* role : {"bos", "eos", "pad", "unk"}) {
    auto it = model.roles.find(role);
    if (it != model.roles.end() && it->second == id) return role;
  }
  return "";
}

}  // namespace

std::vector<std::optional<std::string>> CanonicalBytes(const Tokenizer& tokenizer) {
  const size_t size = tokenizer.Info().vocab_size;
  const std::map<uint32_t, AddedToken> added = AddedTokens(tokenizer);
  std::vector<std::optional<std::string>> bytes(size);
  for (uint32_t id = 0; id < size; ++id) {
    auto it = added.find(id);
    if (it != added.end()) {
      // A non-special added token is text like any other.
      if (!it->second.special) bytes[id] = it->second.content;
      continue;
    }
    bytes[id] = tokenizer.IdToBytes(id);
  }
  return bytes;
}

VocabularyAlignment AlignVocabularies(const ModelFolder& base, const ModelFolder& donor) {
  VocabularyAlignment a;
  // Base index: ordinary tokens first, byte-fallback tokens only where no
  // ordinary token has the same byte (that is the one the base emits).
  const std::vector<std::optional<std::string>> base_bytes = CanonicalBytes(*base.tokenizer);
  for (int pass = 0; pass < 2; ++pass) {
    for (uint32_t id = 0; id < base_bytes.size(); ++id) {
      if (!base_bytes[id]) continue;
      const bool fallback = IsByteFallbackToken(base.tokenizer->IdToToken(id).value_or(""));
      if (fallback != (pass == 1)) continue;
      if (id >= base.rows) continue;
      a.base_by_bytes.emplace(*base_bytes[id], id);
    }
  }
  for (uint32_t id = 0; id < base_bytes.size(); ++id) {
    if (!base.tokenizer->IdToToken(id)) continue;
    if (id < base.rows) {
      ++a.base_tokens;
    } else {
      ++a.base_tokens_without_row;
    }
  }
  const std::map<uint32_t, AddedToken> base_added = AddedTokens(*base.tokenizer);
  std::map<std::string, uint32_t> base_special_by_content;
  for (const auto& [id, t] : base_added) {
    if (t.special && id < base.rows) base_special_by_content.emplace(t.content, id);
  }

  const std::vector<std::optional<std::string>> donor_bytes = CanonicalBytes(*donor.tokenizer);
  const std::map<uint32_t, AddedToken> donor_added = AddedTokens(*donor.tokenizer);
  a.rows = std::max(donor.rows, donor_bytes.size());
  a.kind.assign(a.rows, RowKind::kPadding);
  a.base_row.assign(a.rows, -1);
  a.bytes.assign(a.rows, "");
  a.donor_has_row.assign(a.rows, false);
  for (size_t row = 0; row < a.rows; ++row) a.donor_has_row[row] = row < donor.rows;
  for (uint32_t id = 0; id < donor_bytes.size(); ++id) {
    if (!donor.tokenizer->IdToToken(id)) continue;
    if (id >= donor.rows) ++a.donor_ids_past_rows;
    auto added = donor_added.find(id);
    if (added != donor_added.end() && added->second.special) {
      SpecialTokenMatch match;
      match.donor_id = id;
      match.content = added->second.content;
      match.role = RoleOf(donor, id);
      if (!match.role.empty()) {
        auto it = base.roles.find(match.role);
        if (it != base.roles.end() && it->second < base.rows) match.base_id = it->second, match.matched_by = "role";
      }
      if (!match.base_id) {
        auto it = base_special_by_content.find(match.content);
        if (it != base_special_by_content.end()) match.base_id = it->second, match.matched_by = "content";
      }
      a.kind[id] = match.base_id ? RowKind::kSpecialMatched : RowKind::kSpecialUnmatched;
      if (match.base_id) a.base_row[id] = *match.base_id;
      a.specials.push_back(std::move(match));
      continue;
    }
    if (!donor_bytes[id]) continue;
    a.bytes[id] = *donor_bytes[id];
    auto it = a.base_by_bytes.find(*donor_bytes[id]);
    if (it != a.base_by_bytes.end()) {
      a.kind[id] = RowKind::kShared;
      a.base_row[id] = it->second;
      if (id < donor.rows) {
        a.shared_donor.push_back(id);
        a.shared_base.push_back(it->second);
      }
    } else {
      a.kind[id] = RowKind::kNew;
    }
  }
  return a;
}

}  // namespace tokgraft::transplant
