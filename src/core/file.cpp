#include "core/file.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace vigie {

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::unavailable(fmt::format("{} : fichier introuvable ou illisible", path.string()));
  std::stringstream content;
  content << in.rdbuf();
  if (in.bad()) return Error::unavailable(fmt::format("{} : erreur de lecture", path.string()));
  return content.str();
}

}  // namespace vigie
