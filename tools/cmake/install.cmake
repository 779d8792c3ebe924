# Installing and packaging: `cmake --install build` (GNUInstallDirs) and `cpack -G DEB`.
# The man page and the completions are written at build time by the binary itself
# (`tcpinspect __generate`), from the same parser definitions the program uses.
include(GNUInstallDirs)

set(generated ${PROJECT_BINARY_DIR}/generated)
set(man_page ${generated}/man/tcpinspect.1)
set(bash_completion ${generated}/completions/tcpinspect)
set(zsh_completion ${generated}/completions/_tcpinspect)
add_custom_command(
  OUTPUT ${man_page} ${man_page}.gz ${bash_completion} ${zsh_completion}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${generated}/man ${generated}/completions
  COMMAND $<TARGET_FILE:tcpinspect> __generate man ${PROJECT_SOURCE_DIR}/docs/man/tcpinspect.1.in > ${man_page}
  # Debian's policy: man pages gzip -9, without a timestamp so that builds are reproducible.
  COMMAND gzip -9n -c ${man_page} > ${man_page}.gz
  COMMAND $<TARGET_FILE:tcpinspect> __generate bash > ${bash_completion}
  COMMAND $<TARGET_FILE:tcpinspect> __generate zsh > ${zsh_completion}
  DEPENDS tcpinspect ${PROJECT_SOURCE_DIR}/docs/man/tcpinspect.1.in
  COMMENT "Writing the man page and the shell completions")
add_custom_target(tcpinspect_docs ALL DEPENDS ${man_page} ${bash_completion} ${zsh_completion})

install(TARGETS tcpinspect RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${man_page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${bash_completion} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
# Debian's zsh reads vendor completions from here.
install(FILES ${zsh_completion} DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES README.md LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} FILES_MATCHING PATTERN "*.md")

# --- the .deb ---------------------------------------------------------------------------
set(CPACK_PACKAGE_NAME tcpinspect)
set(CPACK_PACKAGE_VENDOR "tcpinspect developers")
set(CPACK_PACKAGE_CONTACT "tcpinspect developers <tcpinspect@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "TCP handshake inspector and packet crafter")
set(CPACK_PACKAGE_DESCRIPTION
    "tcpinspect replays pcap/pcapng files or captures live and shows, for every TCP segment,
the sequence arithmetic and the state of both endpoints (the eleven RFC 9293 states), and
explains refused connections, resets, half-close, simultaneous open and close,
retransmissions and TIME_WAIT. It also crafts and sends single TCP segments for lab
networks, and brings its own echo and reliable-UDP traffic sources.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# dpkg-shlibdeps works out Depends from the libraries the binary links (libpcap, libtins...).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# converse keeps the kernel's RST off its connection with the nft program.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "nftables")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libcap2-bin, bash-completion")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION_SUMMARY}\n${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_GENERATOR DEB)
include(CPack)
