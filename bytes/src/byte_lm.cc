// Cover encodings of a growing byte prefix (see byte_lm.h).
//
// The token sequences that matter form a tree rooted at the fixed ("committed")
// tokens. A Node is a sequence whose bytes end inside or at the end of the
// prefix x; a Cover is a node plus one token that crosses the end of x. Nodes
// ending exactly at |x| are expanded (LM evaluated, valid next tokens listed)
// when the next byte's distribution or the next byte is asked for; covers are
// filtered byte by byte and become nodes when their last token is complete.
#include <algorithm>
#include <array>
#include <bitset>
#include <cmath>

#include "absl/strings/str_format.h"
#include "byte_lm_impl.h"

namespace tokgraft {

using bytes_internal::kNegInf;
using bytes_internal::LogAdd;

namespace {

struct Node {
  std::shared_ptr<Node> parent;  // null for the committed root
  uint32_t token = 0;            // the token that led here (not for the root)
  uint64_t end = 0;              // absolute byte offset where its bytes end
  double logp = 0;               // log P(the token sequence begins so)
  std::unique_ptr<LmState> state;
  std::vector<float> next;  // next-token log-probs, once evaluated
  bool expanded = false;
  // Accepted next tokens and the log-probability of the sequence with them,
  // grouped by first byte.
  std::vector<std::pair<uint32_t, double>> children;
  std::bitset<256> exact_bytes;  // first bytes whose children are listed without pruning
  std::array<double, 256> by_first_byte;  // log of the children's mass per first byte
};

struct Cover {
  std::shared_ptr<Node> node;
  uint32_t token;
  double logp;
};

}  // namespace

struct ByteState::Impl {
  const ByteLM::Impl* model;
  std::string tail;   // the bytes after the committed boundary
  uint64_t base = 0;  // absolute offset of that boundary
  std::shared_ptr<Node> root;
  std::vector<Cover> covers;                // last token crosses the end of x
  std::vector<std::shared_ptr<Node>> exact;  // bytes end exactly at the end of x
  double logq = 0;
  uint64_t lm_positions = 0;
  bool prune_nodes = false;
  std::vector<uint32_t> canonical_tail;  // Canon(tail), for the end symbol
  bool canonical_tail_known = false;

  uint64_t size() const { return base + tail.size(); }
  const std::string& Bytes(uint32_t id) const { return model->rules->TokenBytes(id); }
  std::vector<uint32_t> TailTokens(const Node* node) const {
    std::vector<uint32_t> tokens;
    for (; node != root.get(); node = node->parent.get()) tokens.push_back(node->token);
    std::reverse(tokens.begin(), tokens.end());
    return tokens;
  }

  absl::Status Evaluate(Node* node) {
    if (node->state) return absl::OkStatus();
    if (!node->parent) return absl::InternalError("the language model could not start a sequence");
    if (!node->parent->state) {
      if (absl::Status s = Evaluate(node->parent.get()); !s.ok()) return s;
    }
    absl::StatusOr<std::unique_ptr<LmState>> state = bytes_internal::Extend(
        *model->lm, model->options.context, node->parent->state.get(), node->token, &node->next);
    if (!state.ok()) return state.status();
    node->state = *std::move(state);
    ++lm_positions;
    return absl::OkStatus();
  }

  void SumChildren(Node* node) const {
    std::array<double, 256> linear{};
    for (const auto& [id, logp] : node->children) linear[static_cast<uint8_t>(Bytes(id)[0])] += std::exp(logp - node->logp);
    for (int b = 0; b < 256; ++b) node->by_first_byte[b] = linear[b] > 0 ? node->logp + std::log(linear[b]) : kNegInf;
  }

  bytes_internal::EncodingRules::NextTokens After(const Node* node) const {
    return model->rules->After(std::string_view(tail).substr(0, node->end - base), TailTokens(node));
  }

  // Lists the accepted next tokens of a node ending at |x|. With pruning, the
  // most probable tokens are checked until the unchecked ones hold at most
  // `prune` of the node's next-token mass; those are kept unchecked (counted
  // as valid), so the error is at most the invalid part of that mass.
  absl::Status Expand(Node* node) {
    if (absl::Status s = Evaluate(node); !s.ok()) return s;
    const auto& rules = *model->rules;
    const size_t vocab = std::min(node->next.size(), rules.vocab_size());
    // The log-probability from which on tokens are checked: with pruning,
    // found on a histogram of 0.25-nat bins from the maximum (no sort).
    float check_from = -INFINITY;
    const double prune = model->options.prune;
    if (prune > 0) {
      constexpr int kBins = 160;
      constexpr float kWidth = 0.25f;
      float top = -INFINITY;
      for (size_t id = 0; id < vocab; ++id) top = std::max(top, node->next[id]);
      std::array<double, kBins> mass{};
      double total = 0;
      for (size_t id = 0; id < vocab; ++id) {
        if (node->next[id] == -INFINITY || rules.TokenBytes(id).empty()) continue;
        const double p = std::exp(static_cast<double>(node->next[id]));
        mass[std::min(kBins - 1, static_cast<int>((top - node->next[id]) / kWidth))] += p;
        total += p;
      }
      double rest = total;
      int bin = 0;
      while (bin < kBins && rest > prune * total) rest -= mass[bin++];
      check_from = bin >= kBins ? -INFINITY : top - bin * kWidth;
    }
    node->children.clear();
    auto next = After(node);
    for (uint32_t id = 0; id < vocab; ++id) {
      const float lp = node->next[id];
      if (lp == -INFINITY || rules.TokenBytes(id).empty()) continue;
      if (lp < check_from || next.Accept(id)) node->children.emplace_back(id, node->logp + lp);
    }
    SumChildren(node);
    node->expanded = true;
    return absl::OkStatus();
  }

  // Lists every accepted next token beginning with `byte`, exactly (undoes
  // pruning for that byte).
  absl::Status ExpandByte(Node* node, uint8_t byte) {
    if (!node->expanded) {
      if (absl::Status s = Expand(node); !s.ok()) return s;
    }
    if (model->options.prune == 0 || node->exact_bytes[byte]) return absl::OkStatus();
    node->exact_bytes[byte] = true;
    std::vector<std::pair<uint32_t, double>> children;
    for (const auto& child : node->children) {
      if (static_cast<uint8_t>(Bytes(child.first)[0]) != byte) children.push_back(child);
    }
    auto next = After(node);
    for (uint32_t id : model->rules->TokensStartingWith(byte)) {
      if (id >= node->next.size() || node->next[id] == -INFINITY) continue;
      if (next.Accept(id)) children.emplace_back(id, node->logp + node->next[id]);
    }
    node->children = std::move(children);
    SumChildren(node);
    return absl::OkStatus();
  }

  // Expands the nodes ending at |x|; with pruning, the most probable first,
  // until those left hold at most `prune` of Q(x) (their continuations are
  // dropped).
  absl::Status ExpandExact() {
    std::vector<Node*> order;
    for (const std::shared_ptr<Node>& node : exact) order.push_back(node.get());
    double left = 0;
    if (model->options.prune > 0 && prune_nodes) {
      std::sort(order.begin(), order.end(), [](const Node* a, const Node* b) { return a->logp > b->logp; });
      for (const Node* node : order) left += std::exp(node->logp - logq);
    }
    for (Node* node : order) {
      if (model->options.prune > 0 && prune_nodes && left <= model->options.prune) break;
      left -= std::exp(node->logp - logq);
      if (node->expanded) continue;
      if (absl::Status s = Expand(node); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  // Every way to `byte` exactly, pruned nodes included.
  absl::Status ExpandExactFor(uint8_t byte) {
    for (const std::shared_ptr<Node>& node : exact) {
      if (absl::Status s = ExpandByte(node.get(), byte); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  bool EndAllowed(const Node* node) {
    if (!canonical_tail_known) {
      absl::StatusOr<std::vector<uint32_t>> canon = model->rules->Canonical(tail);
      canonical_tail = canon.ok() ? *std::move(canon) : std::vector<uint32_t>{};
      canonical_tail_known = true;
    }
    return TailTokens(node) == canonical_tail;
  }

  absl::StatusOr<ByteLogProbs> NextLogProbs() {
    if (absl::Status s = ExpandExact(); !s.ok()) return s;
    ByteLogProbs out;
    out.fill(kNegInf);
    const size_t at = size();
    for (const Cover& c : covers) {
      const uint8_t b = static_cast<uint8_t>(Bytes(c.token)[at - c.node->end]);
      out[b] = LogAdd(out[b], c.logp);
    }
    for (const std::shared_ptr<Node>& node : exact) {
      if (!node->expanded) continue;
      for (int b = 0; b < 256; ++b) out[b] = LogAdd(out[b], node->by_first_byte[b]);
      if (model->eos < node->next.size() && EndAllowed(node.get())) {
        out[kEndOfText] = LogAdd(out[kEndOfText], node->logp + node->next[model->eos]);
      }
    }
    return out;
  }

  absl::Status Push(uint8_t byte) {
    if (absl::Status s = ExpandExact(); !s.ok()) return s;
    const size_t at = size();
    std::vector<Cover> covers_after;
    std::vector<std::shared_ptr<Node>> exact_after;
    auto become_node = [&](const std::shared_ptr<Node>& parent, uint32_t token, double logp) {
      auto node = std::make_shared<Node>();
      node->parent = parent;
      node->token = token;
      node->end = at + 1;
      node->logp = logp;
      exact_after.push_back(std::move(node));
    };
    for (Cover& c : covers) {
      const std::string& bytes = Bytes(c.token);
      const size_t offset = at - c.node->end;
      if (static_cast<uint8_t>(bytes[offset]) != byte) continue;
      if (offset + 1 == bytes.size()) {
        become_node(c.node, c.token, c.logp);
      } else {
        covers_after.push_back(std::move(c));
      }
    }
    auto take_children = [&](const std::shared_ptr<Node>& node) {
      for (const auto& [id, logp] : node->children) {
        const std::string& bytes = Bytes(id);
        if (static_cast<uint8_t>(bytes[0]) != byte) continue;
        if (bytes.size() == 1) {
          become_node(node, id, logp);
        } else {
          covers_after.push_back({node, id, logp});
        }
      }
    };
    for (const std::shared_ptr<Node>& node : exact) {
      if (node->expanded) take_children(node);
    }
    if (covers_after.empty() && exact_after.empty() && model->options.prune > 0) {
      // Pruning dropped every way to this byte: list them exactly.
      if (absl::Status s = ExpandExactFor(byte); !s.ok()) return s;
      for (const std::shared_ptr<Node>& node : exact) take_children(node);
    }
    tail.push_back(static_cast<char>(byte));
    canonical_tail_known = false;
    covers = std::move(covers_after);
    exact = std::move(exact_after);
    logq = kNegInf;
    for (const Cover& c : covers) logq = LogAdd(logq, c.logp);
    for (const auto& node : exact) logq = LogAdd(logq, node->logp);
    return Commit();
  }

  // Moves the root over the tokens that can no longer change, dropping
  // sequences that disagree with them.
  absl::Status Commit() {
    absl::StatusOr<bytes_internal::EncodingRules::Fixed> fixed = model->rules->FixedPrefix(tail);
    if (!fixed.ok()) return fixed.status();
    if (fixed->length == 0) return absl::OkStatus();
    const uint64_t boundary = base + fixed->length;
    std::shared_ptr<Node> new_root;
    // The ancestor of `node` ending at the boundary if its tokens are the
    // fixed ones, else null.
    auto through = [&](const std::shared_ptr<Node>& node) -> std::shared_ptr<Node> {
      std::vector<std::shared_ptr<Node>> path;
      for (std::shared_ptr<Node> n = node; n && n != root; n = n->parent) path.push_back(n);
      std::reverse(path.begin(), path.end());
      if (path.size() < fixed->tokens.size()) return nullptr;
      for (size_t i = 0; i < fixed->tokens.size(); ++i) {
        if (path[i]->token != fixed->tokens[i]) return nullptr;
      }
      std::shared_ptr<Node> at = fixed->tokens.empty() ? root : path[fixed->tokens.size() - 1];
      return at->end == boundary ? at : nullptr;
    };
    std::vector<Cover> kept_covers;
    for (Cover& c : covers) {
      std::shared_ptr<Node> r = through(c.node);
      if (!r) continue;
      new_root = r;
      kept_covers.push_back(std::move(c));
    }
    std::vector<std::shared_ptr<Node>> kept_exact;
    for (std::shared_ptr<Node>& node : exact) {
      std::shared_ptr<Node> r = through(node);
      if (!r) continue;
      new_root = r;
      kept_exact.push_back(std::move(node));
    }
    covers = std::move(kept_covers);
    exact = std::move(kept_exact);
    logq = kNegInf;
    for (const Cover& c : covers) logq = LogAdd(logq, c.logp);
    for (const auto& node : exact) logq = LogAdd(logq, node->logp);
    if (!new_root) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "no valid token sequence covers the %d bytes so far (the model gives them probability 0)", size()));
    }
    if (new_root != root) {
      if (absl::Status s = Evaluate(new_root.get()); !s.ok()) return s;
      new_root->parent.reset();
      root = std::move(new_root);
    }
    tail.erase(0, fixed->length);
    base = boundary;
    canonical_tail_known = false;
    return absl::OkStatus();
  }
};

ByteState::ByteState(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ByteState::~ByteState() = default;
ByteState::ByteState(ByteState&&) noexcept = default;
ByteState& ByteState::operator=(ByteState&&) noexcept = default;

absl::Status ByteState::Push(uint8_t byte) {
  if (impl_->logq == kNegInf) {
    return absl::FailedPreconditionError("the prefix has probability 0: no byte can follow it");
  }
  return impl_->Push(byte);
}

absl::Status ByteState::Append(std::string_view bytes) {
  for (char c : bytes) {
    if (absl::Status s = Push(static_cast<uint8_t>(c)); !s.ok()) return s;
  }
  return absl::OkStatus();
}

double ByteState::LogProb() const { return impl_->logq; }
void ByteState::PruneSequences(bool on) { impl_->prune_nodes = on; }
uint64_t ByteState::size() const { return impl_->size(); }
uint64_t ByteState::lm_positions() const { return impl_->lm_positions; }
absl::StatusOr<ByteLogProbs> ByteState::NextLogProbs() { return impl_->NextLogProbs(); }

absl::StatusOr<ByteLogProbs> ByteState::NextByteDistribution(int listed_exactly) {
  absl::StatusOr<ByteLogProbs> out = impl_->NextLogProbs();
  if (out.ok() && listed_exactly >= 0 && (*out)[listed_exactly] == kNegInf && impl_->model->options.prune > 0) {
    if (listed_exactly == kEndOfText) {
      for (const std::shared_ptr<Node>& node : impl_->exact) {
        if (node->expanded) continue;
        if (absl::Status s = impl_->Expand(node.get()); !s.ok()) return s;
      }
    } else if (absl::Status s = impl_->ExpandExactFor(static_cast<uint8_t>(listed_exactly)); !s.ok()) {
      return s;
    }
    out = impl_->NextLogProbs();
  }
  if (!out.ok()) return out;
  double z = kNegInf;
  for (double v : *out) z = LogAdd(z, v);
  if (z == kNegInf) return absl::FailedPreconditionError("the prefix has probability 0: no byte can follow it");
  for (double& v : *out) v -= z;
  return out;
}

ByteLM::ByteLM(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ByteLM::~ByteLM() = default;

absl::Status ByteLM::CheckTokenizer(const Tokenizer& tokenizer) {
  return bytes_internal::EncodingRules::Check(tokenizer);
}

absl::StatusOr<std::unique_ptr<ByteLM>> ByteLM::Create(const TokenLM* lm, const Tokenizer* tokenizer, uint32_t eos,
                                                     const ByteLMOptions& options) {
  if (!(options.prune >= 0 && options.prune < 1)) {
    return absl::InvalidArgumentError(absl::StrFormat("pruning threshold %g is not in [0, 1)", options.prune));
  }
  if (eos >= lm->vocab_size()) {
    return absl::InvalidArgumentError(absl::StrFormat("eos id %d is outside the model's vocabulary", eos));
  }
  absl::StatusOr<std::unique_ptr<bytes_internal::EncodingRules>> rules =
      bytes_internal::EncodingRules::Create(*tokenizer);
  if (!rules.ok()) return rules.status();
  auto impl = std::make_unique<Impl>();
  impl->lm = lm;
  impl->tokenizer = tokenizer;
  impl->eos = eos;
  impl->options = options;
  impl->rules = *std::move(rules);
  return std::unique_ptr<ByteLM>(new ByteLM(std::move(impl)));
}

ByteState ByteLM::Start() const {
  auto state = std::make_unique<ByteState::Impl>();
  state->model = impl_.get();
  state->root = std::make_shared<Node>();
  state->exact.push_back(state->root);
  // The root is evaluated lazily like any node: its input is eos.
  absl::StatusOr<std::unique_ptr<LmState>> lm_state =
      bytes_internal::Extend(*impl_->lm, impl_->options.context, nullptr, impl_->eos, &state->root->next);
  if (lm_state.ok()) {
    state->root->state = *std::move(lm_state);
    state->lm_positions = 1;
  }
  return ByteState(std::move(state));
}

absl::StatusOr<ByteState> ByteLM::StartWith(std::string_view prompt) const {
  ByteState state = Start();
  ByteState::Impl& impl = *state.impl_;
  absl::StatusOr<bytes_internal::EncodingRules::Fixed> fixed = impl_->rules->FixedPrefix(prompt);
  if (!fixed.ok()) return fixed.status();
  if (fixed->length > 0) {
    // One root over the fixed tokens, evaluated in chunks within windows.
    auto root = std::make_shared<Node>();
    root->state = std::move(impl.root->state);
    root->next = std::move(impl.root->next);
    const size_t context = impl_->options.context;
    const size_t vocab = impl_->lm->vocab_size();
    std::vector<float> rows;
    for (size_t i = 0; i < fixed->tokens.size();) {
      if (context > 0 && root->state->length() >= context) root->state = impl_->lm->NewState();
      size_t n = std::min<size_t>(fixed->tokens.size() - i, 64);
      if (context > 0) n = std::min(n, context - root->state->length());
      const absl::Span<const uint32_t> chunk(fixed->tokens.data() + i, n);
      if (absl::Status s = impl_->lm->Append(root->state.get(), chunk, &rows); !s.ok()) return s;
      for (size_t k = 0; k < n; ++k) {
        root->logp += k == 0 ? root->next[chunk[0]] : rows[(k - 1) * vocab + chunk[k]];
      }
      root->next.assign(rows.end() - vocab, rows.end());
      impl.lm_positions += n;
      i += n;
    }
    root->end = fixed->length;
    impl.root = root;
    impl.exact = {root};
    impl.base = fixed->length;
    impl.logq = root->logp;
  }
  if (absl::Status s = state.Append(prompt.substr(fixed->length)); !s.ok()) return s;
  return state;
}

absl::StatusOr<double> ByteLM::LogProb(std::string_view bytes, bool end) const {
  absl::StatusOr<ByteState> state = StartWith(bytes);
  if (!state.ok()) return state.status();
  if (!end) return state->LogProb();
  absl::StatusOr<ByteLogProbs> next = state->NextLogProbs();
  if (!next.ok()) return next.status();
  return (*next)[kEndOfText];
}

absl::StatusOr<std::vector<uint32_t>> ByteLM::CanonicalEncoding(std::string_view bytes) const {
  return impl_->rules->Canonical(bytes);
}

const TokenLM& ByteLM::lm() const { return *impl_->lm; }
const Tokenizer& ByteLM::tokenizer() const { return *impl_->tokenizer; }
uint32_t ByteLM::eos() const { return impl_->eos; }
const ByteLMOptions& ByteLM::options() const { return impl_->options; }
const std::string& ByteLM::TokenBytes(uint32_t id) const { return impl_->rules->TokenBytes(id); }

}  // namespace tokgraft
