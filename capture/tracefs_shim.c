/* SPDX-License-Identifier: MIT */
#include "capture/tracefs_shim.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <tracefs.h>

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

struct tep_handle* ti_local_events(const char* system) {
  const char* systems[] = {system, NULL};
  return tracefs_local_events_system(NULL, systems);
}

int ti_event_enable(struct tracefs_instance* instance, const char* system, const char* event) {
  return tracefs_event_enable(instance, system, event);
}

int ti_read_events(struct tep_handle* tep, struct tracefs_instance* instance,
                   int (*callback)(struct tep_event*, struct tep_record*, int, void*),
                   void* context) {
  return tracefs_iterate_raw_events(tep, instance, NULL, 0, callback, context);
}
