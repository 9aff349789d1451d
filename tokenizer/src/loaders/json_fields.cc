#include "loaders/json_fields.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace tokgraft::json {
namespace {

const char* TypeName(element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY: return "an array";
    case simdjson::dom::element_type::OBJECT: return "an object";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64: return "an integer";
    case simdjson::dom::element_type::DOUBLE: return "a number";
    case simdjson::dom::element_type::STRING: return "a string";
    case simdjson::dom::element_type::BOOL: return "a boolean";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
  }
  return "something else";
}

}  // namespace

std::string Join(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : absl::StrCat(absl::string_view(path.data(), path.size()), ".",
                                                        absl::string_view(key.data(), key.size()));
}

std::string Index(std::string_view path, size_t i) {
  return absl::StrFormat("%s[%d]", std::string(path), i);
}

absl::Status TypeError(std::string_view path, std::string_view expected, element found) {
  return absl::InvalidArgumentError(absl::StrFormat("%s: expected %s, found %s", std::string(path),
                                                    std::string(expected), TypeName(found)));
}

absl::StatusOr<object> AsObject(element e, std::string_view path) {
  object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) return TypeError(path, "an object", e);
  return o;
}

absl::StatusOr<array> AsArray(element e, std::string_view path) {
  array a;
  if (e.get_array().get(a) != simdjson::SUCCESS) return TypeError(path, "an array", e);
  return a;
}

absl::StatusOr<std::string_view> AsString(element e, std::string_view path) {
  std::string_view s;
  if (e.get_string().get(s) != simdjson::SUCCESS) return TypeError(path, "a string", e);
  return s;
}

bool IsNull(element e) { return e.type() == simdjson::dom::element_type::NULL_VALUE; }

std::optional<element> Member(object o, std::string_view key) {
  element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS || IsNull(e)) return std::nullopt;
  return e;
}

absl::StatusOr<std::string_view> RequiredString(object o, std::string_view key, std::string_view path) {
  std::optional<element> e = Member(o, key);
  if (!e) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: missing \"%s\"", path.empty() ? "top level" : std::string(path), std::string(key)));
  }
  return AsString(*e, Join(path, key));
}

absl::StatusOr<std::optional<std::string_view>> OptionalString(object o, std::string_view key,
                                                               std::string_view path) {
  std::optional<element> e = Member(o, key);
  if (!e) return std::optional<std::string_view>();
  auto s = AsString(*e, Join(path, key));
  if (!s.ok()) return s.status();
  return std::optional<std::string_view>(*s);
}

absl::StatusOr<bool> OptionalBool(object o, std::string_view key, std::string_view path, bool fallback) {
  std::optional<element> e = Member(o, key);
  if (!e) return fallback;
  bool b;
  if (e->get_bool().get(b) != simdjson::SUCCESS) return TypeError(Join(path, key), "a boolean", *e);
  return b;
}

absl::StatusOr<int64_t> RequiredInt(object o, std::string_view key, std::string_view path) {
  std::optional<element> e = Member(o, key);
  if (!e) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: missing \"%s\"", path.empty() ? "top level" : std::string(path), std::string(key)));
  }
  int64_t v;
  if (e->get_int64().get(v) != simdjson::SUCCESS) return TypeError(Join(path, key), "an integer", *e);
  return v;
}

absl::StatusOr<int64_t> OptionalInt(object o, std::string_view key, std::string_view path,
                                    int64_t fallback) {
  if (!Member(o, key)) return fallback;
  return RequiredInt(o, key, path);
}

absl::StatusOr<double> OptionalNumber(object o, std::string_view key, std::string_view path,
                                      double fallback) {
  std::optional<element> e = Member(o, key);
  if (!e) return fallback;
  double v;
  if (e->get_double().get(v) != simdjson::SUCCESS) return TypeError(Join(path, key), "a number", *e);
  return v;
}

}  // namespace tokgraft::json
