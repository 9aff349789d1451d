// Writing the transplanted model folder, all or nothing.
#ifndef TOKGRAFT_TRANSPLANT_OUTPUT_FOLDER_H_
#define TOKGRAFT_TRANSPLANT_OUTPUT_FOLDER_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "model_folder.h"

namespace tokgraft::transplant {

struct NewMatrices {
  size_t rows = 0;
  std::vector<float> embed;    // rows x base hidden
  std::vector<float> lm_head;  // empty when the base is tied
};

// config.json with top-level keys replaced or added (values are JSON text);
// a null value removes a key. Other keys keep their order and values.
absl::StatusOr<std::string> RewriteJsonObject(const std::string& json, const std::map<std::string, std::string>& updates);

// Fails if OUT exists (unless `overwrite`) or its parent folder does not:
// checked before the work, and again when writing.
absl::Status CheckOutputFolder(const std::string& out, bool overwrite);

// Assembles OUT in a hidden temporary folder beside it and renames it into
// place; on failure the temporary folder is removed. The base's tensors
// keep their dtype and shards; the donor's tokenizer files are copied.
absl::Status WriteOutputFolder(const ModelFolder& base, const ModelFolder& donor, const NewMatrices& matrices,
                               const std::string& report_json, const std::string& out, bool overwrite);

}  // namespace tokgraft::transplant

#endif  // TOKGRAFT_TRANSPLANT_OUTPUT_FOLDER_H_
