// Typed access to simdjson DOM values with errors that name the JSON path,
// e.g. `model.merges[12]: expected a string or an array of two strings`.
#ifndef TOKGRAFT_TOKENIZER_LOADERS_JSON_FIELDS_H_
#define TOKGRAFT_TOKENIZER_LOADERS_JSON_FIELDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "simdjson.h"

namespace tokgraft::json {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

absl::Status TypeError(std::string_view path, std::string_view expected, element found);

absl::StatusOr<object> AsObject(element e, std::string_view path);
absl::StatusOr<array> AsArray(element e, std::string_view path);
absl::StatusOr<std::string_view> AsString(element e, std::string_view path);

// A member that may be absent or null.
std::optional<element> Member(object o, std::string_view key);
bool IsNull(element e);

absl::StatusOr<std::string_view> RequiredString(object o, std::string_view key, std::string_view path);
absl::StatusOr<std::optional<std::string_view>> OptionalString(object o, std::string_view key,
                                                               std::string_view path);
absl::StatusOr<bool> OptionalBool(object o, std::string_view key, std::string_view path, bool fallback);
absl::StatusOr<int64_t> RequiredInt(object o, std::string_view key, std::string_view path);
absl::StatusOr<int64_t> OptionalInt(object o, std::string_view key, std::string_view path,
                                    int64_t fallback);
absl::StatusOr<double> OptionalNumber(object o, std::string_view key, std::string_view path,
                                      double fallback);

std::string Join(std::string_view path, std::string_view key);
std::string Index(std::string_view path, size_t i);

}  // namespace tokgraft::json

#endif  // TOKGRAFT_TOKENIZER_LOADERS_JSON_FIELDS_H_
