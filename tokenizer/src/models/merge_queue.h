// Pending merges of one piece, popped in the reference's order: lowest rank
// first, leftmost position among equal ranks.
//
// A single heap of (rank, position) does this too, but on pieces of a
// megabyte every operation misses the cache. Here a small heap holds only the
// distinct ranks, and each rank keeps its own positions. Positions mostly
// arrive in increasing order (merging sweeps left to right), so each rank's
// queue is a sorted run with a read head, plus a small heap for the few that
// arrive out of order.
#ifndef TOKGRAFT_TOKENIZER_MODELS_MERGE_QUEUE_H_
#define TOKGRAFT_TOKENIZER_MODELS_MERGE_QUEUE_H_

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

namespace tokgraft {

class MergeQueue {
 public:
  void Clear() {
    for (uint32_t rank : ranks_) slot_of_rank_[rank] = kNoSlot;
    ranks_.clear();
    free_slots_.clear();
    used_slots_ = 0;
  }

  bool empty() const { return ranks_.empty(); }
  // Requires !empty().
  uint32_t lowest_rank() const { return ranks_.front(); }

  void Push(uint32_t rank, uint32_t position) {
    // Ranks are merge indices, so a plain array finds a rank's slot.
    if (rank >= slot_of_rank_.size()) slot_of_rank_.resize(rank + 1, kNoSlot);
    uint32_t& slot = slot_of_rank_[rank];
    if (slot == kNoSlot) {
      if (!free_slots_.empty()) {
        slot = free_slots_.back();
        free_slots_.pop_back();
      } else {
        if (used_slots_ == slots_.size()) slots_.emplace_back();
        slot = static_cast<uint32_t>(used_slots_++);
      }
      slots_[slot].Reset();
      ranks_.push_back(rank);
      std::push_heap(ranks_.begin(), ranks_.end(), std::greater<uint32_t>());
    }
    slots_[slot].Push(position);
  }

  // Removes the lowest rank with all its positions: (*run)[*begin...] in
  // increasing order. Requires !empty().
  void PopRank(uint32_t* rank, std::vector<uint32_t>* run, size_t* begin) {
    *rank = ranks_.front();
    uint32_t& slot = slot_of_rank_[*rank];
    slots_[slot].Drain(run, begin);
    std::pop_heap(ranks_.begin(), ranks_.end(), std::greater<uint32_t>());
    ranks_.pop_back();
    free_slots_.push_back(slot);
    slot = kNoSlot;
  }
  // Returns (*run)[begin...], the unused rest of a PopRank, to the queue;
  // `rank` must have no positions queued meanwhile. Takes the vector rather
  // than copying it, so a rank cut short again and again stays linear.
  void PutBack(uint32_t rank, std::vector<uint32_t>* run, size_t begin) {
    if (begin == run->size()) return;
    Push(rank, (*run)[begin]);
    slots_[slot_of_rank_[rank]].Adopt(run, begin);
  }

  // Removes and returns the lowest (rank, position). Requires !empty().
  void Pop(uint32_t* rank, uint32_t* position) {
    *rank = ranks_.front();
    uint32_t& slot = slot_of_rank_[*rank];
    Positions& positions = slots_[slot];
    *position = positions.PopMin();
    if (positions.empty()) {
      std::pop_heap(ranks_.begin(), ranks_.end(), std::greater<uint32_t>());
      ranks_.pop_back();
      free_slots_.push_back(slot);
      slot = kNoSlot;
    }
  }

 private:
  class Positions {
   public:
    void Reset() {
      sorted_.clear();
      head_ = 0;
      unsorted_.clear();
    }
    bool empty() const { return head_ == sorted_.size() && unsorted_.empty(); }
    void Drain(std::vector<uint32_t>* out, size_t* begin) {
      out->swap(sorted_);
      *begin = head_;
      if (!unsorted_.empty()) {
        out->erase(out->begin(), out->begin() + static_cast<ptrdiff_t>(head_));
        *begin = 0;
        const size_t mid = out->size();
        std::sort(unsorted_.begin(), unsorted_.end());
        out->insert(out->end(), unsorted_.begin(), unsorted_.end());
        std::inplace_merge(out->begin(), out->begin() + static_cast<ptrdiff_t>(mid), out->end());
      }
      Reset();
    }
    // Holding only one position, takes `run` from `begin` as its sorted run.
    void Adopt(std::vector<uint32_t>* run, size_t begin) {
      sorted_.swap(*run);
      head_ = begin;
    }
    void Push(uint32_t p) {
      if (head_ == sorted_.size() || p >= sorted_.back()) {
        sorted_.push_back(p);
      } else {
        unsorted_.push_back(p);
        std::push_heap(unsorted_.begin(), unsorted_.end(), std::greater<uint32_t>());
      }
    }
    uint32_t PopMin() {
      if (!unsorted_.empty() && (head_ == sorted_.size() || unsorted_.front() < sorted_[head_])) {
        std::pop_heap(unsorted_.begin(), unsorted_.end(), std::greater<uint32_t>());
        const uint32_t p = unsorted_.back();
        unsorted_.pop_back();
        return p;
      }
      return sorted_[head_++];
    }

   private:
    std::vector<uint32_t> sorted_;
    size_t head_ = 0;
    std::vector<uint32_t> unsorted_;  // min-heap
  };

  static constexpr uint32_t kNoSlot = UINT32_MAX;
  std::vector<uint32_t> ranks_;  // min-heap of ranks with pending positions
  std::vector<uint32_t> slot_of_rank_;  // kNoSlot where a rank has none
  std::vector<Positions> slots_;  // reused across pieces
  size_t used_slots_ = 0;
  std::vector<uint32_t> free_slots_;  // emptied slots below used_slots_
};

}  // namespace tokgraft

#endif  // TOKGRAFT_TOKENIZER_MODELS_MERGE_QUEUE_H_
