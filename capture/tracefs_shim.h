/* SPDX-License-Identifier: MIT */
/* The few libtracefs calls tcpinspect makes, behind a C interface: <tracefs.h> 1.6 is not
 * valid C++ (an int passed as an enum in an inline function), so only C includes it. */
#ifndef TCPINSPECT_CAPTURE_TRACEFS_SHIM_H
#define TCPINSPECT_CAPTURE_TRACEFS_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

struct tep_handle;
struct tep_event;
struct tep_record;
struct tracefs_instance;

/* The tracing directory, mounting tracefs if needed; NULL (errno set) when impossible. */
const char* ti_tracing_dir(void);
/* Destroys every instance whose name starts with `prefix` followed by the PID of a process
 * that no longer exists (left by a run that was killed). */
void ti_remove_orphaned_instances(const char* prefix);
/* A new private instance; NULL (errno set) on failure. */
struct tracefs_instance* ti_instance_create(const char* name);
/* Removes the instance from tracefs and frees it. */
void ti_instance_remove(struct tracefs_instance* instance);
/* A tep handle that knows the ring buffer's page header and the format of one event (e.g.
 * "tcp", "tcp_receive_reset"); NULL on failure. Unlike tracefs_local_events_system() it does
 * not load /proc/kallsyms and the printk formats, which that does for every system and which
 * take seconds (minutes under AddressSanitizer): the fields are all that is read here. */
struct tep_handle* ti_local_event(const char* system, const char* event);
/* 0 on success. */
int ti_event_enable(struct tracefs_instance* instance, const char* system, const char* event);
/* Hands every event recorded since the last call to `callback` (consuming read). */
int ti_read_events(struct tep_handle* tep, struct tracefs_instance* instance,
                   int (*callback)(struct tep_event*, struct tep_record*, int, void*),
                   void* context);

#ifdef __cplusplus
}
#endif

#endif
