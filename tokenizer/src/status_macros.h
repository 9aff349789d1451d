// Early-return helpers for absl::Status / absl::StatusOr.
#ifndef TOKGRAFT_TOKENIZER_STATUS_MACROS_H_
#define TOKGRAFT_TOKENIZER_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define TOKGRAFT_CONCAT_INNER(a, b) a##b
#define TOKGRAFT_CONCAT(a, b) TOKGRAFT_CONCAT_INNER(a, b)

#define TOKGRAFT_RETURN_IF_ERROR(expr)          \
  do {                                          \
    absl::Status _tokgraft_status = (expr);     \
    if (!_tokgraft_status.ok()) return _tokgraft_status; \
  } while (0)

#define TOKGRAFT_ASSIGN_OR_RETURN_IMPL(result, lhs, expr) \
  auto result = (expr);                                  \
  if (!result.ok()) return result.status();              \
  lhs = *std::move(result)

// TOKGRAFT_ASSIGN_OR_RETURN(auto x, MakeX());
#define TOKGRAFT_ASSIGN_OR_RETURN(lhs, expr) \
  TOKGRAFT_ASSIGN_OR_RETURN_IMPL(TOKGRAFT_CONCAT(_tokgraft_or_, __LINE__), lhs, expr)

#endif  // TOKGRAFT_TOKENIZER_STATUS_MACROS_H_
