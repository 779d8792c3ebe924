/* SPDX-License-Identifier: MIT */
#include "capture/tracefs_shim.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <tracefs.h>
#include <unistd.h>

const char* ti_tracing_dir(void) {
  return tracefs_tracing_dir();
}

static int remove_if_orphaned(const char* name, void* context) {
  const char* prefix = context;
  const size_t n = strlen(prefix);
  if (strncmp(name, prefix, n) != 0 || name[n] == '\0') return 0;
  char* end = NULL;
  const long pid = strtol(name + n, &end, 10);
  if (*end != '\0' || pid <= 0) return 0;
  if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) return 0;
  struct tracefs_instance* old = tracefs_instance_alloc(NULL, name);
  if (old) {
    tracefs_instance_destroy(old);
    tracefs_instance_free(old);
  }
  return 0;
}

void ti_remove_orphaned_instances(const char* prefix) {
  tracefs_instances_walk(remove_if_orphaned, (void*)prefix);
}

struct tracefs_instance* ti_instance_create(const char* name) {
  return tracefs_instance_create(name);
}

void ti_instance_remove(struct tracefs_instance* instance) {
  tracefs_instance_destroy(instance);
  tracefs_instance_free(instance);
}

struct tep_handle* ti_local_event(const char* system, const char* event) {
  struct tep_handle* tep = tep_alloc();
  if (!tep) return NULL;
  int size = 0;
  char* header = tracefs_instance_file_read(NULL, "events/header_page", &size);
  const int header_ok = header && tep_parse_header_page(tep, header, size, sizeof(long)) == 0;
  free(header);
  char* format = header_ok ? tracefs_event_file_read(NULL, system, event, "format", &size) : NULL;
  const int format_ok = format && tep_parse_event(tep, format, (unsigned long)size, system) == 0;
  free(format);
  if (!format_ok) {
    tep_free(tep);
    return NULL;
  }
  tep_set_cpus(tep, (int)sysconf(_SC_NPROCESSORS_CONF));
  tep_set_long_size(tep, tep_get_header_page_size(tep));
  return tep;
}

int ti_event_enable(struct tracefs_instance* instance, const char* system, const char* event) {
  return tracefs_event_enable(instance, system, event);
}

int ti_read_events(struct tep_handle* tep, struct tracefs_instance* instance,
                   int (*callback)(struct tep_event*, struct tep_record*, int, void*),
                   void* context) {
  return tracefs_iterate_raw_events(tep, instance, NULL, 0, callback, context);
}
