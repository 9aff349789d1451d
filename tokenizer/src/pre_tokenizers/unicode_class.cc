#include "pre_tokenizers/unicode_class.h"

#include <unicode/uchar.h>

#include <memory>

namespace tokgraft::unicode_class {
namespace internal {

std::atomic<const uint8_t*> g_blocks[kBlockCount];

namespace {

uint8_t ClassFromIcu(UChar32 c) {
  const uint32_t category = U_GET_GC_MASK(c);
  const bool letter = category & U_GC_L_MASK;
  const bool number = category & U_GC_N_MASK;
  const bool space = u_hasBinaryProperty(c, UCHAR_WHITE_SPACE);
  const bool newline = c == '\r' || c == '\n';
  uint8_t cls = 0;
  if (letter) cls |= kLetter;
  if (number) cls |= kNumber;
  if (space) cls |= kSpace;
  if (newline) cls |= kNewline;
  if (!letter && !number && !space) cls |= kOther;
  if (!letter && !number && !newline) cls |= kLetterPrefix;
  if (category & (U_GC_LU_MASK | U_GC_LT_MASK | U_GC_LM_MASK | U_GC_LO_MASK | U_GC_M_MASK)) {
    cls |= kUpperOrUncased;
  }
  if (category & (U_GC_LL_MASK | U_GC_LM_MASK | U_GC_LO_MASK | U_GC_M_MASK)) {
    cls |= kLowerOrUncased;
  }
  return cls;
}

}  // namespace

const uint8_t* LoadBlock(size_t block) {
  constexpr size_t kBlockSize = size_t{1} << kBlockBits;
  auto classes = std::make_unique<uint8_t[]>(kBlockSize);
  const UChar32 first = static_cast<UChar32>(block << kBlockBits);
  for (size_t i = 0; i < kBlockSize; ++i) classes[i] = ClassFromIcu(first + static_cast<UChar32>(i));
  // Threads racing on the same block compute identical tables; the first to
  // publish wins and the others drop theirs. Published blocks live for the
  // whole process (at most 1.1 MB if every block is touched).
  const uint8_t* expected = nullptr;
  if (g_blocks[block].compare_exchange_strong(expected, classes.get(), std::memory_order_acq_rel,
                                              std::memory_order_acquire)) {
    return classes.release();
  }
  return expected;
}

}  // namespace internal
}  // namespace tokgraft::unicode_class
