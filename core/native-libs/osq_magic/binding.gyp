{
  "targets": [
    {
      "target_name": "osq_magic",
      "sources": ["osq_magic.c"],
      "libraries": ["-lmagic"],
      "cflags": ["-fvisibility=hidden", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
