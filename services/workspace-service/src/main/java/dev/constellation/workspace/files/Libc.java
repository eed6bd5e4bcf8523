package dev.constellation.workspace.files;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The few *at system calls java.nio lacks: an open that neither follows a link nor blocks on a
 * FIFO, a mkdir relative to a directory descriptor, and a chmod of an opened descriptor. Everything
 * else goes through {@link java.nio.file.SecureDirectoryStream}, which is
 * openat/fstatat/unlinkat/renameat already.
 */
interface Libc extends Library {
  // Names are encoded exactly as java.nio encodes paths, so both name the same directory entry.
  Libc C =
      Native.load(
          "c",
          Libc.class,
          java.util.Map.of(
              Library.OPTION_STRING_ENCODING, System.getProperty("sun.jnu.encoding", "UTF-8")));

  boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));
  int O_RDONLY = 0;
  int O_NONBLOCK = 04000;
  int O_CLOEXEC = 02000000;
  int O_DIRECTORY = AARCH64 ? 040000 : 0200000;
  int O_NOFOLLOW = AARCH64 ? 0100000 : 0400000;
  int AT_FDCWD = -100;

  int ENOENT = 2;
  int ENXIO = 6;
  int EACCES = 13;
  int EEXIST = 17;
  int ENOTDIR = 20;
  int ENOSPC = 28;
  int ELOOP = 40;
  int EDQUOT = 122;

  int openat(int dirfd, String path, int flags, int mode) throws LastErrorException;

  int mkdirat(int dirfd, String path, int mode) throws LastErrorException;

  int fchmod(int fd, int mode) throws LastErrorException;

  int close(int fd) throws LastErrorException;
}
