/**
 * Catalog lines for the products most fleets have: operating systems, Microsoft, browsers, big vendors.
 * Format: see catalog.ts. Text rather than arrays so the list stays one product line per vendor.
 */
export const CATALOG_CORE = `
os=Windows10 microsoft: windows_10=100 internet_explorer=70
os=Windows11 microsoft: windows_11=100
os=WindowsServer2019 microsoft: windows_server_2019=100
os=WindowsServer2022 microsoft: windows_server_2022=100
os=Linux canonical: ubuntu_linux=100
os=macOS apple: macos=100
win microsoft: edge=97 .net_framework=95 office=85 onedrive=80 teams=78 edge_webview2=90
win microsoft: visual_c++_2015-2022_redistributable=88 visual_c++_2013_redistributable=55 visual_c++_2010_redistributable=40
win microsoft: visual_c++_2012_redistributable visual_c++_2008_redistributable .net_core=35 .net_desktop_runtime=30
win microsoft: asp.net_core powershell=30 msxml onedrive_for_business windows_defender=96 defender_for_endpoint=96
wks microsoft: visual_studio_code=25 visual_studio_2019 visual_studio_2022 visual_studio_2017 sql_server_management_studio
wks microsoft: powertoys windows_terminal remote_desktop azure_data_studio azure_cli power_bi_desktop project visio
wks microsoft: access excel word outlook powerpoint onenote publisher skype_for_business skype teams_classic
wks microsoft: silverlight office_2016 office_2019 project_2016 visio_2016 sharepoint_designer windows_sdk
wks microsoft: windows_subsystem_for_linux windows_app_sdk xbox_game_bar whiteboard to_do sticky_notes
wks microsoft: azure_vpn_client intune_management_extension company_portal dynamics_365_for_outlook
srv microsoft: sql_server_2016 sql_server_2017 sql_server_2019 sql_server_2022 exchange_server_2016 exchange_server_2019
srv microsoft: sharepoint_server_2016 sharepoint_server_2019 internet_information_services windows_admin_center
srv microsoft: monitoring_agent azure_connected_machine_agent azure_ad_connect system_center_operations_manager_agent
srv microsoft: configuration_manager_client sql_server_native_client odbc_driver_17_for_sql_server ole_db_driver_for_sql_server
any google: chrome=80 drive_for_desktop google_update earth_pro
wks google: android_studio cloud_sdk
any mozilla: firefox=30 thunderbird firefox_esr
win mozilla: maintenance_service
any adobe: acrobat_reader=60 acrobat acrobat_dc creative_cloud photoshop illustrator indesign premiere_pro
any adobe: after_effects lightroom_classic dreamweaver animate audition bridge media_encoder xd incopy
wks adobe: flash_player air shockwave_player digital_editions framemaker robohelp character_animator
win oracle: jre=25 jdk virtualbox mysql_workbench sql_developer instant_client java_se_development_kit_8
srv oracle: mysql_server database_server weblogic_server
wks 7-zip: 7-zip=50
any zoom: zoom=40 zoom_outlook_plugin zoom_rooms
wks apple: itunes icloud quicktime bonjour apple_software_update apple_mobile_device_support
wks vmware: workstation_pro workstation_player horizon_client remote_console vsphere_client
srv vmware: tools ovf_tool vcenter_converter
any citrix: workspace_app receiver
srv citrix: virtual_delivery_agent xenapp
any cisco: secure_client anyconnect_secure_mobility_client webex_meetings webex jabber umbrella_roaming_client
wks cisco: packet_tracer
wks fortinet: forticlient forticlient_vpn
any paloaltonetworks: globalprotect
wks notepad++: notepad++=30
wks videolan: vlc_media_player=35
wks wireshark: wireshark
win putty: putty
win winscp: winscp
wks filezilla-project: filezilla_client
srv filezilla-project: filezilla_server
win python: python python_launcher
win git-scm: git
wks github: github_desktop atom git_lfs github_cli
win nodejs: node.js
wks docker: docker_desktop
wks hashicorp: vagrant terraform packer
wks jetbrains: intellij_idea pycharm webstorm rider datagrip goland clion phpstorm rubymine toolbox_app
wks eclipse: eclipse_ide
win eclipse: temurin
wks postman: postman
any slack: slack
any dropbox: dropbox
any box: box_drive box_tools
any teamviewer: teamviewer
any anydesk: anydesk
any logmein: gotomeeting goto_opener logmein_client
win realvnc: vnc_viewer vnc_server
win tightvnc: tightvnc
win ultravnc: ultravnc
wks rarlab: winrar
wks winzip: winzip
wks peazip: peazip
wks keepass: keepass
any bitwarden: bitwarden
any 1password: 1password
any lastpass: lastpass
wks foxit: foxit_reader foxit_pdf_editor phantompdf
wks nitro: nitro_pro
wks geek_software: pdf24_creator
wks sumatrapdf: sumatrapdf
any libreoffice: libreoffice
wks apache: openoffice netbeans
srv apache: tomcat http_server
win apache: maven ant
wks kingsoft: wps_office
wks irfanview: irfanview
any gimp: gimp
any inkscape: inkscape
any blender: blender
any audacity: audacity
any obsproject: obs_studio
any handbrake: handbrake
wks greenshot: greenshot
wks techsmith: snagit camtasia
win flexera: flexnet_inventory_agent installshield
any spotify: spotify
any valve: steam
wks epicgames: epic_games_launcher
any discord: discord
wks whatsapp: whatsapp_desktop
any telegram: telegram_desktop
any signal: signal_desktop
any opera: opera_browser opera_gx
any brave: brave_browser
any vivaldi: vivaldi
any torproject: tor_browser
wks piriform: ccleaner recuva defraggler speccy
wks malwarebytes: malwarebytes
wks avast: free_antivirus secure_browser
wks avg: antivirus_free
win eset: endpoint_security nod32_antivirus
win sophos: endpoint_agent connect
win mcafee: endpoint_security agent total_protection
win symantec: endpoint_protection
win trendmicro: apex_one officescan
win crowdstrike: falcon_sensor
win sentinelone: sentinel_agent
win kaspersky: endpoint_security_for_windows
win bitdefender: endpoint_security_tools
wks dell: command_update supportassist display_manager digital_delivery optimizer power_manager
wks hp: support_assistant sure_click image_assistant wolf_security smart
wks lenovo: vantage system_update commercial_vantage
win intel: graphics_driver rapid_storage_technology management_engine_components driver_and_support_assistant
wks intel: proset_wireless_software chipset_device_software bluetooth
wks nvidia: geforce_experience graphics_driver physx cuda_toolkit
wks amd: radeon_software chipset_software ryzen_master
wks realtek: high_definition_audio_driver card_reader_driver
wks logitech: options unifying_software g_hub logi_tune
wks plantronics: plantronics_hub
wks jabra: direct
wks synaptics: pointing_device_driver
wks autodesk: autocad revit 3ds_max maya fusion_360 navisworks_manage desktop_app dwg_trueview inventor
wks bentley: microstation
wks dassault_systemes: solidworks
wks ptc: creo
wks esri: arcgis_pro arcgis_desktop
any mathworks: matlab
wks ibm: spss_statistics notes i_access_client_solutions
srv ibm: db2
wks sap: gui_for_windows crystal_reports
any tableau: tableau_desktop tableau_reader
wks qlik: qlik_sense_desktop
any posit: rstudio
any r-project: r
any anaconda: anaconda3 miniconda3
any julialang: julia
any golang: go
any rust-lang: rust
srv postgresql: postgresql
wks postgresql: pgadmin_4
wks mongodb: compass
srv mongodb: mongodb_server
any dbeaver: dbeaver
wks heidisql: heidisql
wks tortoisesvn: tortoisesvn
wks tortoisegit: tortoisegit
wks atlassian: sourcetree companion
any sublimehq: sublime_text sublime_merge
win vim: vim
wks gnu: emacs
win cygwin: cygwin
wks msys2: msys2
wks mremoteng: mremoteng
wks royalapps: royal_ts
wks devolutions: remote_desktop_manager
any openvpn: openvpn openvpn_connect
any wireguard: wireguard
win nmap: nmap
win tenable: nessus_agent
win rapid7: insight_agent
win qualys: cloud_agent
srv splunk: universal_forwarder
srv elastic: elastic_agent winlogbeat
srv nxlog: nxlog_community_edition
srv zabbix: zabbix_agent
wks solarwinds: dameware_mini_remote_control
srv solarwinds: orion_agent
win connectwise: screenconnect_client automate_agent
win kaseya: vsa_agent
win zohocorp: manageengine_desktop_central_agent
win ivanti: workspace_control
wks beyondtrust: remote_support_jump_client
win cyberark: endpoint_privilege_manager
wks okta: verify
win duosecurity: duo_authentication_for_windows_logon
any yubico: yubikey_manager
wks gpg4win: gpg4win
any idrix: veracrypt
wks cpuid: cpu-z hwmonitor
wks techpowerup: gpu-z
wks crystal_dew_world: crystaldiskinfo crystaldiskmark
wks voidtools: everything
win jam_software: treesize_free
wks windirstat: windirstat
wks akeo: rufus
any balena: etcher
wks dotpdn: paint.net
wks foobar2000: foobar2000
wks winamp: winamp
wks codec_guide: k-lite_codec_pack
wks mpc-hc: mpc-hc
wks kakao: potplayer
any amazon: aws_cli workspaces kindle corretto aws_vpn_client
any bluejeans: bluejeans
any ringcentral: ringcentral
any 8x8: 8x8_work
wks avaya: one-x_communicator workplace
wks mitel: micollab
any grammarly: grammarly_for_windows grammarly_for_microsoft_office
any evernote: evernote
any notion: notion
any obsidian: obsidian
any figma: figma_desktop
any miro: miro
wks smartbear: soapui
any kong: insomnia
wks telerik: fiddler_classic
srv veeam: backup_and_replication agent_for_windows
srv commvault: commvault
srv veritas: backup_exec netbackup_client
win acronis: cyber_protect true_image
srv nginx: nginx
srv php: php
win strawberryperl: strawberry_perl
win activestate: activeperl
win ruby-lang: ruby
win openssl: openssl
win haxx: curl
win azul: zulu
win bellsoft: liberica_jdk
srv jenkins: jenkins
srv gitlab: gitlab_runner
srv octopus: tentacle
win chef: chef_infra_client
win puppet: puppet_agent
srv saltstack: salt_minion
`;
