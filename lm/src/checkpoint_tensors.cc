#include <filesystem>
#include <set>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "simdjson.h"
#include "tokgraft/checkpoint.h"

namespace tokgraft {

namespace fs = std::filesystem;

absl::StatusOr<std::unique_ptr<CheckpointTensors>> CheckpointTensors::Open(const std::string& folder) {
  std::unique_ptr<CheckpointTensors> checkpoint(new CheckpointTensors());
  checkpoint->folder_ = folder;
  const fs::path index = fs::path(folder) / "model.safetensors.index.json";
  absl::Status status;
  if (fs::exists(index)) {
    checkpoint->sharded_ = true;
    status = checkpoint->OpenSharded(index.string());
  } else if (fs::exists(fs::path(folder) / "model.safetensors")) {
    status = checkpoint->AddFile("model.safetensors");
  } else {
    status = absl::NotFoundError(
        absl::StrFormat("%s: neither model.safetensors nor model.safetensors.index.json", folder));
  }
  if (!status.ok()) return status;
  return checkpoint;
}

absl::Status CheckpointTensors::AddFile(const std::string& file_name) {
  absl::StatusOr<std::unique_ptr<SafetensorsFile>> file =
      SafetensorsFile::Open((fs::path(folder_) / file_name).string());
  if (!file.ok()) return file.status();
  for (const auto& [name, view] : (*file)->tensors()) {
    tensors_[name] = &view;
    shard_of_[name] = file_name;
  }
  files_.push_back(*std::move(file));
  return absl::OkStatus();
}

absl::Status CheckpointTensors::OpenSharded(const std::string& index) {
  simdjson::padded_string text;
  simdjson::dom::parser parser;
  simdjson::dom::object map;
  if (simdjson::padded_string::load(index).get(text) != simdjson::SUCCESS ||
      parser.parse(text)["weight_map"].get_object().get(map) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: no weight_map object", index));
  }
  std::map<std::string, std::string> wanted;  // tensor -> shard
  for (auto [name, shard] : map) {
    std::string_view file;
    if (shard.get_string().get(file) != simdjson::SUCCESS || file.find('/') != std::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: weight_map.%s is not a file name", index, std::string(name)));
    }
    wanted[std::string(name)] = std::string(file);
  }
  std::set<std::string> shards;
  for (const auto& [name, shard] : wanted) shards.insert(shard);
  for (const std::string& shard : shards) {
    if (absl::Status s = AddFile(shard); !s.ok()) return s;
  }
  for (const auto& [name, shard] : wanted) {
    auto it = shard_of_.find(name);
    if (it == shard_of_.end() || it->second != shard) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: tensor %s is listed in the index but absent from %s", folder_, name, shard));
    }
  }
  return absl::OkStatus();
}

const TensorView* CheckpointTensors::Find(const std::string& name) const {
  auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : it->second;
}

absl::StatusOr<const TensorView*> CheckpointTensors::Get(const std::string& name,
                                                         const std::vector<int64_t>& shape) const {
  const TensorView* view = Find(name);
  if (view == nullptr) return absl::InvalidArgumentError(absl::StrFormat("%s: missing tensor %s", folder_, name));
  if (view->shape != shape) {
    return absl::InvalidArgumentError(absl::StrFormat("%s/%s: tensor %s has shape [%s], the config needs [%s]",
                                                      folder_, shard_of_.at(name), name,
                                                      absl::StrJoin(view->shape, ","), absl::StrJoin(shape, ",")));
  }
  return view;
}

absl::Status CheckpointTensors::ReadFloat32(const std::string& name, const std::vector<int64_t>& shape,
                                            float* out) const {
  absl::StatusOr<const TensorView*> view = Get(name, shape);
  if (!view.ok()) return view.status();
  if (absl::Status s = ToFloat32(**view, out); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s/%s: tensor %s: %s", folder_, shard_of_.at(name), name, s.message()));
  }
  return absl::OkStatus();
}

}  // namespace tokgraft
