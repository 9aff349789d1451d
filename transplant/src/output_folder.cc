#include "output_folder.h"

#include <unistd.h>

#include <filesystem>
#include <set>
#include <system_error>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "simdjson.h"
#include "tokgraft/atomic_file.h"
#include "tokgraft/json_string.h"
#include "tokgraft/safetensors.h"

namespace tokgraft::transplant {
namespace {

namespace fs = std::filesystem;

// The donor's tokenizer, in every form Hugging Face loaders look for.
constexpr const char* kTokenizerFiles[] = {
    "tokenizer.json",    "tokenizer_config.json", "special_tokens_map.json", "tokenizer.model",
    "vocab.json",        "merges.txt",            "added_tokens.json",       "chat_template.jinja",
    "chat_template.json"};

std::string IdOrNull(const std::map<std::string, uint32_t>& roles, const char* role) {
  auto it = roles.find(role);
  return it == roles.end() ? "null" : std::to_string(it->second);
}

absl::Status CopyFile(const fs::path& from, const fs::path& to) {
  std::error_code error;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, error);
  if (error) {
    return absl::ResourceExhaustedError(
        absl::StrFormat("cannot copy %s to %s: %s", from.string(), to.string(), error.message()));
  }
  return absl::OkStatus();
}

absl::Status WriteTensors(const ModelFolder& base, const NewMatrices& matrices, const fs::path& folder) {
  std::map<std::string, std::vector<std::string>> by_shard;
  for (const auto& [name, shard] : base.tensors->shard_of()) by_shard[shard].push_back(name);
  const int64_t rows = static_cast<int64_t>(matrices.rows), hidden = base.hidden_size;
  size_t total_bytes = 0;
  for (const auto& [shard, names] : by_shard) {
    std::vector<std::vector<float>> widened;
    widened.reserve(names.size());
    std::vector<TensorToWrite> tensors;
    for (const std::string& name : names) {
      const TensorView* view = base.tensors->Find(name);
      if (view->dtype != DType::kF32 && view->dtype != DType::kF16 && view->dtype != DType::kBF16) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "base %s/%s: tensor %s has dtype %s; tokgraft writes F32, F16 and BF16 checkpoints only", base.path,
            shard, name, DTypeName(view->dtype)));
      }
      TensorToWrite t{name, view->shape, view->dtype, nullptr};
      if (name == kEmbedTensor) {
        t.shape = {rows, hidden};
        t.values = matrices.embed.data();
      } else if (name == kLmHeadTensor) {
        t.shape = {rows, hidden};
        t.values = base.tied ? matrices.embed.data() : matrices.lm_head.data();
      } else {
        widened.emplace_back(view->elements());
        if (absl::Status s = ToFloat32(*view, widened.back().data()); !s.ok()) {
          return absl::InvalidArgumentError(absl::StrFormat("base %s/%s: tensor %s: %s", base.path, shard, name,
                                                            s.message()));
        }
        t.values = widened.back().data();
      }
      int64_t elements = 1;
      for (int64_t d : t.shape) elements *= d;
      total_bytes += elements * DTypeSize(t.dtype);
      tensors.push_back(std::move(t));
    }
    if (absl::Status s = WriteSafetensors((folder / shard).string(), tensors, {{"format", "pt"}}); !s.ok()) return s;
  }
  if (!base.tensors->sharded()) return absl::OkStatus();
  std::string index = absl::StrFormat("{\n  \"metadata\": {\n    \"total_size\": %zu\n  },\n  \"weight_map\": {", total_bytes);
  bool first = true;
  for (const auto& [name, shard] : base.tensors->shard_of()) {
    index += first ? "\n    " : ",\n    ";
    first = false;
    AppendJsonString(name, &index);
    index += ": ";
    AppendJsonString(shard, &index);
  }
  index += "\n  }\n}\n";
  return WriteFileAtomically((folder / "model.safetensors.index.json").string(), index);
}

absl::Status Assemble(const ModelFolder& base, const ModelFolder& donor, const NewMatrices& matrices,
                      const std::string& report_json, const fs::path& folder) {
  std::map<std::string, std::string> ids = {{"bos_token_id", IdOrNull(donor.roles, "bos")},
                                            {"eos_token_id", IdOrNull(donor.roles, "eos")},
                                            {"pad_token_id", IdOrNull(donor.roles, "pad")}};
  std::map<std::string, std::string> config_updates = ids;
  config_updates["vocab_size"] = std::to_string(matrices.rows);
  config_updates["tie_word_embeddings"] = base.tied ? "true" : "false";
  absl::StatusOr<std::string> config = RewriteJsonObject(base.config_json, config_updates);
  if (!config.ok()) return config.status();
  if (absl::Status s = WriteFileAtomically((folder / "config.json").string(), *config); !s.ok()) return s;
  const fs::path generation = fs::path(base.path) / "generation_config.json";
  if (fs::exists(generation)) {
    absl::StatusOr<std::string> text = ReadTextFile(generation.string());
    if (!text.ok()) return text.status();
    absl::StatusOr<std::string> rewritten = RewriteJsonObject(*text, ids);
    if (!rewritten.ok()) {
      return absl::InvalidArgumentError(absl::StrFormat("%s: %s", generation.string(), rewritten.status().message()));
    }
    if (absl::Status s = WriteFileAtomically((folder / "generation_config.json").string(), *rewritten); !s.ok()) {
      return s;
    }
  }
  for (const char* name : kTokenizerFiles) {
    const fs::path from = fs::path(donor.path) / name;
    if (fs::exists(from)) {
      if (absl::Status s = CopyFile(from, folder / name); !s.ok()) return s;
    }
  }
  if (absl::Status s = WriteTensors(base, matrices, folder); !s.ok()) return s;
  return WriteFileAtomically((folder / "transplant_report.json").string(), report_json);
}

}  // namespace

absl::StatusOr<std::string> RewriteJsonObject(const std::string& json, const std::map<std::string, std::string>& updates) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(json).get_object().get(object) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError("not a JSON object");
  }
  std::vector<std::string> lines;
  std::set<std::string> written;
  for (auto [key, value] : object) {
    const std::string name(key);
    std::string text;
    auto update = updates.find(name);
    if (update != updates.end()) {
      written.insert(name);
      if (update->second == "null") continue;
      text = update->second;
    } else {
      text = simdjson::to_string(value);
    }
    std::string line = "  ";
    AppendJsonString(name, &line);
    lines.push_back(line + ": " + text);
  }
  for (const auto& [name, text] : updates) {
    if (written.count(name) || text == "null") continue;
    std::string line = "  ";
    AppendJsonString(name, &line);
    lines.push_back(line + ": " + text);
  }
  return "{\n" + absl::StrJoin(lines, ",\n") + "\n}\n";
}

namespace {

// OUT split into the folder that holds it and its name ("a/b/" is "a", "b").
std::pair<fs::path, fs::path> ParentAndName(const std::string& out) {
  const fs::path target = fs::absolute(fs::path(out)).lexically_normal();
  if (target.has_filename()) return {target.parent_path(), target.filename()};
  return {target.parent_path().parent_path(), target.parent_path().filename()};
}

}  // namespace

absl::Status CheckOutputFolder(const std::string& out, bool overwrite) {
  const auto [parent, name] = ParentAndName(out);
  if (fs::exists(parent / name) && !overwrite) {
    return absl::AlreadyExistsError(
        absl::StrFormat("%s already exists (use --force to replace it)", (parent / name).string()));
  }
  if (!fs::is_directory(parent)) {
    return absl::NotFoundError(absl::StrFormat("%s: no such folder to write %s into", parent.string(), name.string()));
  }
  return absl::OkStatus();
}

absl::Status WriteOutputFolder(const ModelFolder& base, const ModelFolder& donor, const NewMatrices& matrices,
                               const std::string& report_json, const std::string& out, bool overwrite) {
  if (absl::Status s = CheckOutputFolder(out, overwrite); !s.ok()) return s;
  const auto [parent, name] = ParentAndName(out);
  const fs::path final_path = parent / name;
  const fs::path staging = parent / absl::StrFormat(".%s.tokgraft-%d", name.string(), getpid());
  std::error_code error;
  fs::remove_all(staging, error);
  if (!fs::create_directory(staging, error)) {
    return absl::PermissionDeniedError(absl::StrFormat("cannot create %s: %s", staging.string(), error.message()));
  }
  absl::Status status = Assemble(base, donor, matrices, report_json, staging);
  if (status.ok() && fs::exists(final_path)) {
    const fs::path old = parent / absl::StrFormat(".%s.tokgraft-old-%d", name.string(), getpid());
    fs::rename(final_path, old, error);
    if (!error) fs::remove_all(old, error);
    if (error) {
      status = absl::PermissionDeniedError(absl::StrFormat("cannot replace %s: %s", final_path.string(), error.message()));
    }
  }
  if (status.ok()) {
    fs::rename(staging, final_path, error);
    if (error) status = absl::PermissionDeniedError(absl::StrFormat("cannot create %s: %s", final_path.string(), error.message()));
  }
  if (!status.ok()) fs::remove_all(staging, error);
  return status;
}

}  // namespace tokgraft::transplant
