#include "core/checkpoint.h"

#include <cstdio>

#include "core/errors.h"

namespace voltlab {

void saveCheckpoint(const torch::nn::Module& module, const std::string& path) {
  torch::serialize::OutputArchive archive;
  for (const auto& item : module.named_parameters(/*recurse=*/true)) {
    archive.write(item.key(), item.value().detach().to(torch::kCPU));
  }
  const std::string tmp = path + ".tmp";
  archive.save_to(tmp);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw std::runtime_error("checkpoint: cannot rename " + tmp + " to " + path);
  }
}

void loadCheckpoint(torch::nn::Module& module, const std::string& path) {
  torch::serialize::InputArchive archive;
  archive.load_from(path);
  torch::NoGradGuard noGrad;
  for (auto& item : module.named_parameters(/*recurse=*/true)) {
    torch::Tensor saved;
    if (!archive.try_read(item.key(), saved)) {
      throw InvalidArgument("checkpoint " + path + " has no parameter '" + item.key() + "'");
    }
    if (!saved.sizes().equals(item.value().sizes())) {
      throw InvalidArgument("checkpoint " + path + ": parameter '" + item.key() +
                            "' has another shape than the model's");
    }
    item.value().copy_(saved.to(item.value().device()));
  }
}

}  // namespace voltlab
