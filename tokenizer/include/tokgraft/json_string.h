// JSON string literals for everything tokgraft writes (CLI output, reports,
// tokenizer.json).
#ifndef TOKGRAFT_JSON_STRING_H_
#define TOKGRAFT_JSON_STRING_H_

#include <string>
#include <string_view>

namespace tokgraft {

// Appends `s` as a JSON string the way JavaScript's JSON.stringify writes it
// (so outputs diff cleanly against the reference). `s` must be valid UTF-8.
void AppendJsonString(std::string_view s, std::string* out);

}  // namespace tokgraft

#endif  // TOKGRAFT_JSON_STRING_H_
