{
  "targets": [
    {
      "target_name": "osq_yara",
      "sources": ["osq_yara.c"],
      "libraries": ["<!@(pkg-config --libs yara)"],
      "cflags": ["<!@(pkg-config --cflags yara)", "-fvisibility=hidden", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
