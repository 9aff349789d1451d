// Fuzzes the transplant's reading of a model folder's config.json (and its
// rewriting for the output): any bytes must give a model or an error, never
// a crash. The rest of the folder is the committed model-tiny-b.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "model_folder.h"
#include "output_folder.h"

namespace {

namespace fs = std::filesystem;

const fs::path& Folder() {
  static const fs::path folder = [] {
    const fs::path dir = fs::temp_directory_path() / ("tokgraft-fuzz-config-" + std::to_string(getpid()));
    fs::create_directories(dir);
    const fs::path tiny = fs::path(TOKGRAFT_SOURCE_DIR) / "data" / "model-tiny-b";
    for (const char* name : {"tokenizer.json", "tokenizer_config.json", "model.safetensors"}) {
      fs::remove(dir / name);
      fs::create_symlink(tiny / name, dir / name);
    }
    return dir;
  }();
  return folder;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string config(reinterpret_cast<const char*>(data), size);
  std::ofstream(Folder() / "config.json", std::ios::binary | std::ios::trunc) << config;
  (void)tokgraft::transplant::LoadModelFolder(Folder().string(), "fuzz");
  (void)tokgraft::transplant::RewriteJsonObject(config, {{"vocab_size", "1"}, {"pad_token_id", "null"}});
  return 0;
}
