/*
 * A Kafka cluster for tests: librdkafka's mock cluster (rdkafka_mock.h) speaking the real
 * Kafka protocol on 127.0.0.1. Not Kafka itself: no TLS/SASL, no CreateTopics, topics are
 * auto-created with 4 partitions unless created here first.
 *
 *   kafka-mock [BROKERS] [TOPIC[:PARTITIONS] ...]
 *
 * Prints its bootstrap servers as the first line of stdout, then runs one command per
 * stdin line and answers each with "ok" or "error <text>":
 *
 *   topic NAME PARTITIONS       create a topic
 *   errors APIKEY ERR [COUNT]   the next COUNT requests of APIKEY (0 = Produce) fail with
 *                               Kafka error code ERR (-195 = disconnect the client)
 *   down ID | up ID             take broker ID down (connections refused) or back up
 *   rtt ID MS                   add MS milliseconds of latency to broker ID
 *
 * Exits when stdin closes. Build: gcc -o kafka-mock kafka-mock.c $(pkg-config --cflags --libs rdkafka)
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rd_kafka_mock_cluster_t *cluster;

static void create_topic(const char *spec, int partitions) {
  char name[256];
  snprintf(name, sizeof name, "%s", spec);
  char *colon = strchr(name, ':');
  if (colon) {
    *colon = '\0';
    partitions = atoi(colon + 1);
  }
  rd_kafka_mock_topic_create(cluster, name, partitions > 0 ? partitions : 1, 1);
}

static const char *run(char *line) {
  char word[32], arg[256];
  long a = 0, b = 0, c = 1;
  int n = sscanf(line, "%31s %255s %ld %ld", word, arg, &b, &c);
  if (n < 1) return "empty command";
  if (n >= 2) a = strtol(arg, NULL, 10);
  if (!strcmp(word, "topic") && n >= 3) {
    create_topic(arg, (int)b);
  } else if (!strcmp(word, "errors") && n >= 3) {
    rd_kafka_resp_err_t errs[256];
    if (n < 4) c = 1;
    if (c < 1 || c > 256) return "count must be 1..256";
    for (long i = 0; i < c; i++) errs[i] = (rd_kafka_resp_err_t)b;
    rd_kafka_mock_push_request_errors_array(cluster, (int16_t)a, (size_t)c, errs);
  } else if (!strcmp(word, "down") && n >= 2) {
    rd_kafka_mock_broker_set_down(cluster, (int32_t)a);
  } else if (!strcmp(word, "up") && n >= 2) {
    rd_kafka_mock_broker_set_up(cluster, (int32_t)a);
  } else if (!strcmp(word, "rtt") && n >= 3) {
    rd_kafka_mock_broker_set_rtt(cluster, (int32_t)a, (int)b);
  } else {
    return "unknown command";
  }
  return NULL;
}

int main(int argc, char **argv) {
  char errstr[512];
  int brokers = argc > 1 ? atoi(argv[1]) : 1;
  /* The mock cluster needs a client instance for its bookkeeping; it is never used. */
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "0", errstr, sizeof errstr);
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!rk) {
    fprintf(stderr, "kafka-mock: %s\n", errstr);
    return 1;
  }
  cluster = rd_kafka_mock_cluster_new(rk, brokers > 0 ? brokers : 1);
  if (!cluster) {
    fprintf(stderr, "kafka-mock: cannot create the mock cluster\n");
    return 1;
  }
  for (int i = 2; i < argc; i++) create_topic(argv[i], 1);
  printf("%s\n", rd_kafka_mock_cluster_bootstraps(cluster));
  fflush(stdout);

  char line[512];
  while (fgets(line, sizeof line, stdin)) {
    const char *err = run(line);
    if (err) printf("error %s\n", err);
    else printf("ok\n");
    fflush(stdout);
  }
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  return 0;
}
