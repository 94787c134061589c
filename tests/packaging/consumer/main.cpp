#include <varia/varia.hpp>

#include <cstdio>

int main() {
  std::printf("varia %d.%d.%d\n", varia::version_major, varia::version_minor, varia::version_patch);
  return 0;
}
