/**
 * Catalog lines for long-tail desktop, server, Linux and macOS products.
 * Format: see catalog.ts. Text rather than arrays so the list stays one product line per vendor.
 */
export const CATALOG_LONG_TAIL = `
wks softwareok: don't_sleep=3
wks nenad_hrg: q-dir
wks wintoys: wintoys
wks sharex: sharex
wks autohotkey: autohotkey
wks ditto-cp: ditto
wks chocolatey: chocolatey
wks scoop: scoop
any pulse_secure: pulse_secure
wks ninite: ninite
wks adobe: acrobat_reader_dc acrobat_2020 photoshop_elements premiere_elements
wks corel: coreldraw_graphics_suite paintshop_pro winzip_pdf_pro
wks nuance: power_pdf dragon_professional
wks abbyy: finereader
wks tracker_software: pdf-xchange_editor
wks bullzip: pdf_printer
wks cutepdf: writer
wks wondershare: filmora pdfelement
wks cyberlink: powerdvd power2go
wks nero: burning_rom
wks imgburn: imgburn
wks daemon_tools: lite
wks poweriso: poweriso
wks iobit: advanced_systemcare driver_booster
wks glarysoft: glary_utilities
wks ashampoo: burning_studio
wks auslogics: disk_defrag
wks easeus: partition_master data_recovery_wizard
wks minitool: partition_wizard
wks macrium: reflect
any barracuda: cloud_to_cloud_backup_agent
wks garmin: express
wks samsung: magician smart_switch
wks western_digital: discovery
wks seagate: toolkit
wks canon: ij_scan_utility mf_scan_utility
wks epson: scan easy_photo_print
wks brother: iprint_and_scan
wks xerox: desktop_print_experience
wks ricoh: driver_deployment_wizard
wks kyocera: print_center
wks papercut: print_deploy_client
wks zebra: setup_utilities
wks fujitsu: paperstream_capture
wks elgato: stream_deck
wks corsair: icue
wks razer: synapse
wks steelseries: gg
wks asus: armoury_crate
wks msi: afterburner dragon_center
wks gigabyte: control_center
wks oracle: java_8_update
any microsoft: remote_desktop_client
wks blizzard: battle.net
wks electronic_arts: ea_app
wks ubisoft: connect
wks riotgames: riot_client
wks gog: galaxy
wks roblox: roblox_player
wks mojang: minecraft_launcher
wks unity: hub editor
wks epicgames: unreal_engine
wks godotengine: godot
wks krita: krita
wks darktable: darktable
wks rawtherapee: rawtherapee
wks digikam: digikam
wks shotcut: shotcut
wks kdenlive: kdenlive
wks blackmagicdesign: davinci_resolve
wks avid: pro_tools media_composer
wks image-line: fl_studio
wks ableton: live
wks reaper: reaper
wks steinberg: cubase
wks native_instruments: native_access
wks calibre-ebook: calibre
wks zotero: zotero
wks mendeley: reference_manager
wks clarivate: endnote
wks jabref: jabref
wks texstudio: texstudio
wks miktex: miktex
wks tug: tex_live
wks lyx: lyx
wks freeplane: freeplane
wks xmind: xmind
wks draw.io: drawio
wks yworks: yed
wks staruml: staruml
wks visual_paradigm: visual_paradigm
wks sparx_systems: enterprise_architect
wks balsamiq: wireframes
wks axure: axure_rp
wks sketchup: sketchup
wks freecad: freecad
wks openscad: openscad
wks kicad: kicad
wks arduino: ide
wks microchip: mplab_x_ide
wks stmicroelectronics: stm32cubeide
wks segger: j-link
wks arm: keil_mdk
wks national_instruments: labview
wks ansys: workbench
wks comsol: multiphysics
wks wolfram: mathematica
wks maplesoft: maple
wks minitab: minitab
wks sas: sas_9.4
wks stata: stata
wks jasp: jasp
wks gretl: gretl
wks octave: octave
wks scilab: scilab
wks qgis: qgis
wks google: chrome_remote_desktop
wks microsoft: visual_studio_build_tools_2019 visual_studio_build_tools_2022 sql_server_2019_express localdb
wks microsoft: report_builder visual_studio_tools_for_office_runtime access_database_engine_2016 help_viewer
wks microsoft: teams_machine-wide_installer onedrive_sync_client keyboard_layout_creator mouse_and_keyboard_center
wks microsoft: windows_pc_health_check update_health_tools gameinput xna_framework directx_end-user_runtime
win microsoft: .net_framework_4.8 .net_runtime_6 .net_runtime_8 asp.net_core_runtime_6 asp.net_core_runtime_8
win microsoft: windows_desktop_runtime_6 windows_desktop_runtime_8 visual_studio_2010_tools_for_office_runtime
srv microsoft: sql_server_2014 exchange_server_2013 biztalk_server_2020 dynamics_crm_server host_integration_server
srv microsoft: web_deploy url_rewrite application_request_routing sql_server_reporting_services dpm_agent
srv microsoft: forefront_identity_manager azure_ad_password_protection_dc_agent ata_gateway remote_desktop_services
wks mozilla: firefox_developer_edition
wks google: chrome_beta chrome_enterprise
wks microsoft: edge_beta edge_dev
wks ccleaner: ccleaner_browser
wks yandex: browser
wks maxthon: browser
wks waterfox: waterfox
wks palemoon: pale_moon
wks seamonkey: seamonkey
wks portableapps: thunderbird_portable
wks em_software: em_client
wks mailbird: mailbird
wks mailspring: mailspring
wks postbox: postbox
wks trillian: trillian
wks pidgin: pidgin
wks hexchat: hexchat
wks mirc: mirc
wks mumble: mumble
wks teamspeak: teamspeak_client
wks ventrilo: ventrilo
wks element: element_desktop
wks mattermost: mattermost_desktop
wks rocket.chat: rocket.chat_desktop
wks wire: wire_desktop
wks viber: viber
wks line_corporation: line
wks tencent: wechat
wks kakao: kakaotalk
wks tencent: qq
wks zoho: cliq workdrive
wks freshworks: freshdesk_agent
wks zendesk: talk
wks salesforce: cli
wks hubspot: sales_extension
wks intuit: quickbooks turbotax
wks sage: sage_50
wks xero: practice_manager
wks gusto: gusto_desktop
wks adp: workforce_now
wks citrix: sharefile
wks egnyte: desktop_app
wks nextcloud: desktop_client
wks owncloud: desktop_client
wks seafile: client
wks syncthing: syncthing
wks resilio: sync
wks mega: megasync
wks pcloud: drive
wks sync.com: sync
wks tresorit: tresorit
wks icedrive: icedrive
wks carbonite: safe
wks backblaze: backup
wks idrive: idrive
wks crashplan: crashplan
wks spideroak: one
lin openssl: openssl=95
lin gnu: bash=100 glibc=100 coreutils=100 tar=90 gzip=90 wget=70 grep=100 sed=100
lin sudo_project: sudo=98
lin openbsd: openssh=95
lin linux: linux_kernel=100
lin systemd_project: systemd=100
lin haxx: libcurl=90
lin vim: vim_minimal
lin tcpdump: tcpdump
lin gnupg: gnupg=80 libgcrypt
lin xmlsoft: libxml2=85
lin zlib: zlib=95
lin tukaani: xz=95
lin python: python3=85
lin perl: perl=80
lin samba: samba
lin isc: bind_utilities dhcp_client
lin polkit_project: polkit
lin rsyslog: rsyslog
lin cronie_project: cronie
lin apache: http_server_linux
lin nginx: nginx_linux
lin docker: docker_engine
lin containerd: containerd
lin kubernetes: kubelet
lin redis: redis
lin mariadb: mariadb_server
lin elastic: filebeat
lin microsoft: mdatp=100 omi powershell_for_linux
any microsoft: edge_for_business
mac apple: safari=100 xcode pages keynote numbers garageband imovie
mac microsoft: autoupdate
mac homebrew: homebrew
mac iterm2: iterm2
mac rectangle: rectangle
mac alfredapp: alfred
mac bjango: istat_menus
mac panic: transmit
mac omnigroup: omnigraffle
mac objective-see: lulu
`;
