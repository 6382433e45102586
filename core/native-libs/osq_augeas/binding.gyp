{
  "targets": [
    {
      "target_name": "osq_augeas",
      "sources": ["osq_augeas.c"],
      "libraries": ["<!@(pkg-config --libs augeas)"],
      "cflags": ["<!@(pkg-config --cflags augeas)", "-fvisibility=hidden", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
