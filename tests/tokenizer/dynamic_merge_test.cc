// Dynamic merging: the merge loop against a plain recount-everything version,
// the boundary modes, stopping rules, and embeddings of dynamic tokens.
#include "tokgraft/dynamic_merge.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "dynamic_merge/base_vocabulary.h"
#include "dynamic_merge/mergeable_gaps.h"
#include "gtest/gtest.h"
#include "tokenizer/test_tokenizers.h"

namespace tokgraft {
namespace {

using testing::LoadCommitted;
using testing::ReadCommitted;

std::vector<Encoding> DemoBatch(const Tokenizer& tok, bool with_pretoken_ids) {
  const std::string demo = ReadCommitted("data/demo.txt");
  EncodeOptions options;
  options.with_pretoken_ids = with_pretoken_ids;
  std::vector<Encoding> batch;
  // Lines and the whole text: repeated material, so pairs recur.
  size_t begin = 0;
  while (begin < demo.size()) {
    const size_t end = std::min(demo.find('\n', begin), demo.size());
    batch.push_back(*tok.Encode(std::string_view(demo).substr(begin, end - begin), options));
    begin = end + 1;
  }
  batch.push_back(*tok.Encode(demo, options));
  return batch;
}

// The definition: recount every allowed adjacent pair each round, take the
// most frequent (then smallest ids), merge left to right without overlap.
struct NaiveResult {
  std::vector<std::vector<uint32_t>> sequences;
  std::vector<std::pair<uint64_t, size_t>> merges;  // ((left << 32) | right, count)
};

NaiveResult NaiveMerge(const Tokenizer& tok, const std::vector<Encoding>& batch, MergeBoundary boundary,
                       size_t max_merges) {
  BaseVocabulary vocabulary(tok);
  NaiveResult result;
  std::vector<std::vector<bool>> gaps;  // gaps[s][i]: before token i
  for (const Encoding& enc : batch) {
    result.sequences.push_back(enc.ids);
    gaps.push_back(*MergeableGaps(enc, boundary, &vocabulary));
  }
  for (uint32_t next_id = vocabulary.size(); result.merges.size() < max_merges; ++next_id) {
    std::map<uint64_t, size_t> counts;
    for (size_t s = 0; s < batch.size(); ++s) {
      const auto& seq = result.sequences[s];
      for (size_t i = 1; i < seq.size(); ++i) {
        if (gaps[s][i]) ++counts[(uint64_t{seq[i - 1]} << 32) | seq[i]];
      }
    }
    uint64_t best = 0;
    size_t best_count = 0;
    for (const auto& [pair, count] : counts) {
      if (count > best_count) best = pair, best_count = count;  // map order: smallest pair wins ties
    }
    if (best_count < 2) break;
    size_t merged = 0;
    for (size_t s = 0; s < batch.size(); ++s) {
      std::vector<uint32_t> seq;
      std::vector<bool> seq_gaps;
      const auto& old = result.sequences[s];
      for (size_t i = 0; i < old.size(); ++i) {
        if (i + 1 < old.size() && gaps[s][i + 1] && ((uint64_t{old[i]} << 32) | old[i + 1]) == best) {
          seq.push_back(next_id);
          seq_gaps.push_back(gaps[s][i]);
          ++i;
          ++merged;
        } else {
          seq.push_back(old[i]);
          seq_gaps.push_back(gaps[s][i]);
        }
      }
      result.sequences[s] = std::move(seq);
      gaps[s] = std::move(seq_gaps);
    }
    result.merges.emplace_back(best, merged);
  }
  return result;
}

TEST(DynamicMergeTest, MatchesThePlainDefinitionInEveryMode) {
  auto tok = LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  const std::vector<Encoding> batch = DemoBatch(*tok, /*with_pretoken_ids=*/true);
  for (MergeBoundary boundary :
       {MergeBoundary::kPreToken, MergeBoundary::kWord, MergeBoundary::kWordHyphen, MergeBoundary::kAny}) {
    DynamicMergeOptions options;
    options.boundary = boundary;
    options.max_merges = 60;
    auto merged = MergeBatch(*tok, batch, options);
    ASSERT_TRUE(merged.ok()) << merged.status();
    const NaiveResult naive = NaiveMerge(*tok, batch, boundary, options.max_merges);
    EXPECT_EQ(merged->sequences, naive.sequences) << static_cast<int>(boundary);
    ASSERT_EQ(merged->vocabulary.size(), naive.merges.size());
    EXPECT_GT(merged->vocabulary.size(), 5u);
    for (size_t k = 0; k < naive.merges.size(); ++k) {
      const DynamicToken& token = merged->vocabulary[k];
      EXPECT_EQ((uint64_t{token.left} << 32) | token.right, naive.merges[k].first) << k;
      EXPECT_EQ(token.count, naive.merges[k].second) << k;
      EXPECT_EQ(token.id, tok->Info().vocab_size + k);
    }
  }
}

TEST(DynamicMergeTest, DynamicTokensSpellTheirParts) {
  auto tok = LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  const std::vector<Encoding> batch = DemoBatch(*tok, /*with_pretoken_ids=*/false);
  DynamicMergeOptions options;
  options.boundary = MergeBoundary::kAny;
  options.max_merges = 100;
  auto merged = MergeBatch(*tok, batch, options);
  ASSERT_TRUE(merged.ok()) << merged.status();
  std::map<uint32_t, const DynamicToken*> by_id;
  for (const DynamicToken& t : merged->vocabulary) {
    by_id[t.id] = &t;
    EXPECT_EQ(*tok->Decode(t.parts), t.bytes);
  }
  size_t total_before = 0, total_after = 0;
  for (size_t s = 0; s < batch.size(); ++s) {
    std::vector<uint32_t> expanded;
    for (uint32_t id : merged->sequences[s]) {
      auto it = by_id.find(id);
      if (it == by_id.end()) {
        expanded.push_back(id);
      } else {
        expanded.insert(expanded.end(), it->second->parts.begin(), it->second->parts.end());
      }
    }
    EXPECT_EQ(expanded, batch[s].ids) << s;
    total_before += batch[s].ids.size();
    total_after += merged->sequences[s].size();
  }
  size_t counted = 0;
  for (const DynamicToken& t : merged->vocabulary) counted += t.count;
  EXPECT_EQ(total_before - total_after, counted);
}

TEST(DynamicMergeTest, TiesGoToTheSmallestPairAndSingletonsStop) {
  auto tok = LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  Encoding enc;
  enc.ids = {5, 6, 5, 6, 7, 8, 7, 8};
  DynamicMergeOptions options;
  options.boundary = MergeBoundary::kAny;
  options.max_merges = 10;
  auto merged = MergeBatch(*tok, std::vector<Encoding>{enc}, options);
  ASSERT_TRUE(merged.ok()) << merged.status();
  ASSERT_EQ(merged->vocabulary.size(), 2u);  // then every pair occurs once
  EXPECT_EQ(merged->vocabulary[0].left, 5u);
  EXPECT_EQ(merged->vocabulary[1].left, 7u);
  EXPECT_EQ(merged->sequences[0], (std::vector<uint32_t>{2000, 2000, 2001, 2001}));
}

TEST(DynamicMergeTest, OverlappingPairsMergeLeftToRight) {
  auto tok = LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  Encoding enc;
  enc.ids = {5, 5, 5, 9, 5, 5, 5};
  DynamicMergeOptions options;
  options.boundary = MergeBoundary::kAny;
  options.max_merges = 1;
  auto merged = MergeBatch(*tok, std::vector<Encoding>{enc}, options);
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(merged->sequences[0], (std::vector<uint32_t>{2000, 5, 9, 2000, 5}));
  EXPECT_EQ(merged->vocabulary[0].count, 2u);
}

TEST(DynamicMergeTest, StopsAtTheTargetReduction) {
  auto tok = LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  const std::vector<Encoding> batch = DemoBatch(*tok, /*with_pretoken_ids=*/true);
  size_t total = 0;
  for (const Encoding& e : batch) total += e.ids.size();
  DynamicMergeOptions options;
  options.max_merges = 1000;
  options.target_reduction = 0.05;
  auto merged = MergeBatch(*tok, batch, options);
  ASSERT_TRUE(merged.ok()) << merged.status();
  size_t reduction = 0;
  for (const DynamicToken& t : merged->vocabulary) reduction += t.count;
  EXPECT_GE(static_cast<double>(reduction), 0.05 * static_cast<double>(total));
  EXPECT_LT(static_cast<double>(reduction - merged->vocabulary.back().count), 0.05 * static_cast<double>(total));
  options.target_reduction = 0;
  EXPECT_TRUE(MergeBatch(*tok, batch, options)->vocabulary.empty());
}

// Gaps between the single bytes of `text` (all merges dropped).
std::vector<bool> ByteGaps(const Tokenizer& tok, std::string_view text, MergeBoundary boundary) {
  EncodeOptions options;
  options.dropout = 1;
  options.with_pretoken_ids = true;
  auto enc = tok.Encode(text, options);
  EXPECT_TRUE(enc.ok()) << enc.status();
  BaseVocabulary vocabulary(tok);
  auto gaps = MergeableGaps(*enc, boundary, &vocabulary);
  EXPECT_TRUE(gaps.ok()) << gaps.status();
  return *gaps;
}

TEST(DynamicMergeTest, WordModesSplitAtSpacesAndPunctuation) {
  auto tok = LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  // Bytes:                 a  b  -  c  ' ' d  _  é(2)    ,  f
  const std::string text = "ab-c d_\xC3\xA9,f";
  EXPECT_EQ(ByteGaps(*tok, text, MergeBoundary::kWord),
            (std::vector<bool>{false, true, false, false, false, false, true, true, true, false, false}));
  EXPECT_EQ(ByteGaps(*tok, text, MergeBoundary::kWordHyphen),
            (std::vector<bool>{false, true, true, true, false, false, true, true, true, false, false}));
  EXPECT_EQ(ByteGaps(*tok, text, MergeBoundary::kAny), (std::vector<bool>{false, true, true, true, true, true, true,
                                                                           true, true, true, true}));
}

TEST(DynamicMergeTest, PreTokenModeFollowsThePreTokenizer) {
  auto tok = LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  EncodeOptions options;
  options.dropout = 1;
  options.with_pretoken_ids = true;
  // Pre-tokens: "ab", " cd", "<|endoftext|>" (its own), "e".
  auto enc = tok->Encode("ab cd<|endoftext|>e", options);
  ASSERT_TRUE(enc.ok()) << enc.status();
  EXPECT_EQ(enc->pretoken_ids, (std::vector<uint32_t>{0, 0, 1, 1, 1, 2, 3}));
  BaseVocabulary vocabulary(*tok);
  EXPECT_EQ(*MergeableGaps(*enc, MergeBoundary::kPreToken, &vocabulary),
            (std::vector<bool>{false, true, false, true, true, false, false}));
  EXPECT_EQ(*MergeableGaps(*enc, MergeBoundary::kAny, &vocabulary),
            (std::vector<bool>{false, true, true, true, true, false, false}));  // never a special token
}

TEST(DynamicMergeTest, RejectsWhatItCannotMerge) {
  auto tok = LoadCommitted("data/demo-tokenizer.json");
  ASSERT_NE(tok, nullptr);
  Encoding unknown;
  unknown.ids = {5, 1u << 30};
  DynamicMergeOptions options;
  options.boundary = MergeBoundary::kAny;
  options.max_merges = 5;
  auto bad_id = MergeBatch(*tok, std::vector<Encoding>{unknown}, options);
  ASSERT_FALSE(bad_id.ok());
  EXPECT_NE(bad_id.status().message().find("sequence 0: id 1073741824 is not in the vocabulary"), std::string::npos)
      << bad_id.status();
  Encoding plain = *tok->Encode("no pre-token ids");
  options.boundary = MergeBoundary::kPreToken;
  EXPECT_FALSE(MergeBatch(*tok, std::vector<Encoding>{plain}, options).ok());
  options.boundary = MergeBoundary::kAny;
  options.target_reduction = 1.5;
  EXPECT_FALSE(MergeBatch(*tok, std::vector<Encoding>{plain}, options).ok());
}

TEST(DynamicMergeTest, EmbeddingsAreMeansOfTheBaseRows) {
  // Four base tokens, two columns: row r is (r, 10 r).
  const std::vector<float> matrix = {0, 0, 1, 10, 2, 20, 3, 30};
  std::vector<DynamicToken> vocabulary(2);
  vocabulary[0].id = 4;
  vocabulary[0].parts = {1, 2};
  vocabulary[1].id = 5;
  vocabulary[1].parts = {1, 2, 3, 3};
  auto rows = DynamicTokenEmbeddings(matrix, 4, 2, vocabulary);
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(*rows, (std::vector<float>{1.5f, 15.0f, 2.25f, 22.5f}));
  EXPECT_FALSE(DynamicTokenEmbeddings(matrix, 3, 2, vocabulary).ok());  // sizes disagree
  vocabulary[1].parts = {4};
  auto missing = DynamicTokenEmbeddings(matrix, 4, 2, vocabulary);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("part 4 has no row"), std::string::npos);
}

}  // namespace
}  // namespace tokgraft
