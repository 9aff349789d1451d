// The tensors of a Hugging Face checkpoint folder: model.safetensors, or the
// shards named by model.safetensors.index.json, mapped and validated.
#ifndef TOKGRAFT_CHECKPOINT_H_
#define TOKGRAFT_CHECKPOINT_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tokgraft/safetensors.h"

namespace tokgraft {

class CheckpointTensors {
 public:
  // Errors name the folder, the shard or the index entry at fault.
  static absl::StatusOr<std::unique_ptr<CheckpointTensors>> Open(const std::string& folder);

  // nullptr if absent.
  const TensorView* Find(const std::string& name) const;
  // The tensor, checked to have `shape`; errors name the tensor and its file.
  absl::StatusOr<const TensorView*> Get(const std::string& name, const std::vector<int64_t>& shape) const;
  // Widens the tensor to float32, checked to have `shape`.
  absl::Status ReadFloat32(const std::string& name, const std::vector<int64_t>& shape, float* out) const;

  // Every tensor name with the file name (within the folder) that holds it.
  const std::map<std::string, std::string>& shard_of() const { return shard_of_; }
  // True when the folder has model.safetensors.index.json.
  bool sharded() const { return sharded_; }
  const std::string& folder() const { return folder_; }

 private:
  CheckpointTensors() = default;
  absl::Status AddFile(const std::string& file_name);
  absl::Status OpenSharded(const std::string& index);

  std::string folder_;
  bool sharded_ = false;
  std::vector<std::unique_ptr<SafetensorsFile>> files_;
  std::map<std::string, const TensorView*> tensors_;
  std::map<std::string, std::string> shard_of_;
};

}  // namespace tokgraft

#endif  // TOKGRAFT_CHECKPOINT_H_
