package cli

import (
	"regexp"
	"syscall"

	"tramso/kiosk/hours"
	"tramso/kiosk/store"
)

// doctorVi is doctor's Vietnamese, for a commune technician: each English
// format doctor prints (the key, unchanged for --lang en) and its Vietnamese.
// Paths, commands, config fields and values stay as they are; %[n]s reorders
// an argument where Vietnamese puts it elsewhere. Short sentences, the words a
// commune uses: thư mục dữ liệu, tệp cấu hình, máy chủ của tỉnh (the hub),
// khóa của tỉnh (a province key), khởi động lại.
var doctorVi = map[string]string{
	// The report.
	"Trạm Số doctor — %s": "Kiểm tra máy Trạm Số (tramso doctor) — %s",
	"fix: %s":             "cách khắc phục: %s",
	"%d fault(s), %d warning(s): fix the faults, then run `tramso doctor` again.": "%d lỗi, %d điều cần chú ý. Hãy sửa các lỗi, rồi chạy lại `tramso doctor`.",
	"No faults, %d warning(s).": "Không có lỗi, %d điều cần chú ý.",
	"All good.":                 "Mọi thứ đều ổn.",
	"doctor found %d fault(s); the fixes are listed above": "tìm thấy %d lỗi; cách khắc phục ghi ở trên",
	"%s": "%s",

	// Display, WebKit, screens, sound.
	"Wayland display %s": "có màn hình Wayland %s",
	"X display %s":       "có màn hình X %s",
	"no display in this shell (normal over SSH); the kiosk service starts its own with cage on %s":                               "phiên này không có màn hình (bình thường khi vào qua SSH); dịch vụ của máy tự mở màn hình bằng cage trên %s",
	"no graphics device (%s): cage cannot open the screen":                                                                       "không thấy thiết bị đồ họa (%s): cage không mở được màn hình",
	"check the screen cable and that the graphics driver is loaded (`ls /dev/dri`); on a virtual machine, give it a virtual GPU": "kiểm tra cáp màn hình và xem trình điều khiển đồ họa đã được nạp chưa (`ls /dev/dri`); nếu là máy ảo, hãy cấp cho nó một GPU ảo",
	"no display: neither WAYLAND_DISPLAY nor DISPLAY is set":                                                                     "không có màn hình: chưa đặt WAYLAND_DISPLAY hay DISPLAY",
	"run tramso from the desktop session, or install the tramso package so that its service runs the kiosk in cage; to use a browser instead, run `sudo -u tramso tramso serve` (as the kiosk's user, never root)": "chạy tramso từ phiên màn hình nền, hoặc cài gói tramso để dịch vụ của gói chạy máy trong cage; muốn dùng trình duyệt thì chạy `sudo -u tramso tramso serve` (bằng tài khoản của máy, không bao giờ bằng root)",
	"WebKitGTK 4.1 found (%s)":       "đã có WebKitGTK 4.1 (%s)",
	"WebKitGTK 4.1 found (ldconfig)": "đã có WebKitGTK 4.1 (ldconfig)",
	"WebKitGTK 4.1 (libwebkit2gtk-4.1.so.0) is not installed: the kiosk window cannot open":                                                    "chưa cài WebKitGTK 4.1 (libwebkit2gtk-4.1.so.0): cửa sổ của máy không mở được",
	"apt-get install libwebkit2gtk-4.1-0 (installing the tramso package brings it)":                                                            "apt-get install libwebkit2gtk-4.1-0 (cài gói tramso thì gói này được cài kèm)",
	"this binary holds the kiosk's screens":                                                                                                    "chương trình có đủ giao diện của máy",
	"this binary holds no screens (frontend/dist had no index.html when it was built): the kiosk stops at its start and residents see nothing": "chương trình này không có giao diện (lúc dựng, frontend/dist không có index.html): máy dừng ngay khi khởi động và người dân không thấy gì",
	"install a tramso package built with its screens (ask the province for it); to build one, build the frontend first, then the package (README, \"Building\"): package.sh refuses a build without frontend/dist/index.html": "cài một gói tramso có đủ giao diện (xin tỉnh gói này); nếu tự dựng gói: dựng phần giao diện (frontend) trước, rồi mới dựng gói (README, \"Building\"): package.sh không dựng gói khi thiếu frontend/dist/index.html",
	"GStreamer can play the narration and the kiosk's voice (%s)":               "GStreamer phát được lời đọc thu sẵn và giọng đọc của máy (%s)",
	"GStreamer lacks %s: the window cannot play narration or the kiosk's voice": "GStreamer thiếu %s: cửa sổ không phát được lời đọc thu sẵn và giọng đọc của máy",
	"apt-get install %s (the tramso package depends on them)":                   "apt-get install %s (gói tramso cần các gói này)",

	// The data directory and its lock.
	"%s does not exist":                                          "chưa có thư mục dữ liệu %s",
	"cannot look at %s: %s":                                      "không xem được thư mục dữ liệu %s: %s",
	"check the path given with --data":                           "kiểm tra đường dẫn ghi sau --data",
	"%s is not a directory":                                      "%s không phải là thư mục",
	"move that file away, or give another directory with --data": "chuyển tệp đó đi nơi khác, hoặc chỉ một thư mục khác bằng --data",
	"%s is not writable by %s":                                   "%[2]s không ghi được vào thư mục dữ liệu %[1]s",
	"the kiosk's user %s":                                        "tài khoản %s của máy",
	"cannot write in %s: %s":                                     "không ghi được vào thư mục dữ liệu %s: %s",
	"check that the disk is not full or mounted read-only (`mount | grep ' / '`), then %s": "kiểm tra xem ổ đĩa có bị đầy hay đang ở chế độ chỉ đọc không (`mount | grep ' / '`), rồi chạy %s",
	"%s (the kiosk still serves its content, but records no usage and takes no updates)":   "%s (máy vẫn hiện nội dung, nhưng không ghi lượt sử dụng và không nhận cập nhật)",
	store.ReadOnlyAdvice:        "ổ đĩa có thể sắp hỏng, hoặc bị hư do mất điện đột ngột: xem lỗi ổ đĩa bằng `dmesg`, kiểm tra hệ thống tệp (fsck) rồi khởi động lại máy",
	"%s exists and is writable": "thư mục dữ liệu %s có sẵn và ghi được",
	"mkdir -p %s":               "mkdir -p %s",
	"chown -R %s:%s %s":         "chown -R %s:%s %s",
	"chmod u+rwx %s as its owner, or pass another --data":                                                                    "chmod u+rwx %s bằng tài khoản chủ của thư mục, hoặc chỉ thư mục khác bằng --data",
	"files the kiosk cannot use (owned by someone else): %s":                                                                 "có tệp máy không dùng được (thuộc tài khoản khác): %s",
	"run doctor as root, with the same options: sudo tramso doctor …; as your own user it may not look at the kiosk's files": "chạy lại bằng quyền root, với các tùy chọn như cũ: sudo tramso doctor …; với tài khoản của bạn, lệnh không xem được các tệp của máy",
	"no kiosk has run on this data directory yet":                                                                            "chưa có máy nào chạy trên thư mục dữ liệu này",
	"cannot open the lock file: %s":                                                                                          "không mở được tệp khóa (tramso.lock): %s",
	"a kiosk is running on this data directory (its lock is held)":                                                           "máy đang chạy trên thư mục dữ liệu này (tệp khóa đang được giữ)",
	"no kiosk is running on this data directory (its lock is free)":                                                          "không có máy nào đang chạy trên thư mục dữ liệu này (tệp khóa đang rảnh)",

	// The database.
	"the database reads whole (quick_check)": "cơ sở dữ liệu đọc được trọn vẹn (quick_check)",
	"cannot read the database: %s":           "không đọc được cơ sở dữ liệu: %s",
	"the database is damaged: %s":            "cơ sở dữ liệu bị hỏng: %s",
	"start the kiosk: it sets the damaged file aside (tramso.db.damaged-…) and starts a new one; then enroll it again (tramso enroll)":    "khởi động máy: máy sẽ cất tệp hỏng sang một bên (tramso.db.damaged-…) và tạo tệp mới; sau đó đăng ký lại máy với tỉnh (tramso enroll)",
	"a newer Trạm Số has used this database (migrations this release does not know: %s); this release runs on it":                         "một bản Trạm Số mới hơn đã dùng cơ sở dữ liệu này (có bước nâng cấp mà bản này không biết: %s); bản này vẫn chạy được",
	"if something fails, install that newer release again, or restore the backup taken before the upgrade (README, Upgrading a province)": "nếu có gì trục trặc, hãy cài lại bản mới hơn đó, hoặc khôi phục bản sao lưu lấy trước khi nâng cấp (README, Upgrading a province)",
	"%d damaged database(s) set aside by the kiosk, the last %s":                                                                          "máy đã cất riêng %d cơ sở dữ liệu bị hỏng, tệp gần nhất là %s",
	"keep them if the province asks for the lost usage figures, otherwise remove them":                                                    "giữ lại nếu tỉnh cần số liệu sử dụng bị mất, nếu không thì xóa đi",

	// The disk.
	"cannot read free space on %s: %s":              "không đọc được dung lượng còn trống trên %s: %s",
	"%s free on the disk of %s":                     "còn trống %s trên ổ đĩa chứa %s",
	"only %s free on the disk of %s (less than %s)": "ổ đĩa chứa %[2]s chỉ còn trống %[1]s (dưới mức %[3]s)",
	"free some space: `apt-get clean`, `journalctl --vacuum-size=100M`, and remove old files you put on this machine": "hãy dọn bớt cho ổ đĩa: chạy `apt-get clean`, `journalctl --vacuum-size=100M`, và xóa các tệp cũ bạn đã chép vào máy",

	// The config.
	"no config file at %s; using defaults (always open, no hub)":                                                   "không có tệp cấu hình ở %s; máy dùng cấu hình mặc định (luôn mở cửa, không có máy chủ của tỉnh)",
	"%s is valid, but the kiosk's user %s cannot read it: the kiosk runs on its last good copy, or does not start": "tệp cấu hình %s hợp lệ, nhưng tài khoản %s của máy không đọc được: máy sẽ chạy theo bản sao tốt gần nhất, hoặc không khởi động được",
	"sudo chgrp %s %s && sudo chmod 0640 %s":                                                                       "sudo chgrp %s %s && sudo chmod 0640 %s",
	"%s is valid":                                                                                                  "tệp cấu hình %s hợp lệ",
	"compare the two: diff %s %s; copy what the config lacks into it (hub.url, hub.province_keys, staff.pin_hash), check with `tramso doctor`, then remove %s":                "so sánh hai tệp: diff %s %s; chép vào tệp cấu hình những gì nó còn thiếu (hub.url, hub.province_keys, staff.pin_hash), kiểm tra lại bằng `tramso doctor`, rồi xóa %s",
	"%s was left by a package upgrade that replaced the config: it may hold this kiosk's earlier hub, province keys and staff PIN":                                            "%s do lần nâng cấp gói để lại khi thay tệp cấu hình: tệp này có thể còn giữ máy chủ của tỉnh, khóa của tỉnh và mã PIN cán bộ trước đây của máy",
	"%s was left by a package upgrade beside the config: the config in use or this file may lack this kiosk's hub, province keys and staff PIN":                               "%s do lần nâng cấp gói để lại bên cạnh tệp cấu hình: tệp cấu hình đang dùng hoặc tệp này có thể thiếu máy chủ của tỉnh, khóa của tỉnh và mã PIN cán bộ của máy",
	"give the right file with --config, or copy the example to %s (cp /usr/share/doc/tramso/config.example.yaml %s); the tramso package installs the config at %s":            "chỉ đúng tệp bằng --config, hoặc chép tệp mẫu vào %s (cp /usr/share/doc/tramso/config.example.yaml %s); gói tramso đặt tệp cấu hình ở %s",
	"the kiosk's user must read it: sudo chgrp %s %s && sudo chmod 0640 %s":                                                                                                   "tài khoản của máy phải đọc được tệp này: sudo chgrp %s %s && sudo chmod 0640 %s",
	"edit %s at the line named above, or a line before it: a quote or a colon missing, or a tab instead of spaces (the example is /usr/share/doc/tramso/config.example.yaml)": "sửa tệp %s ở dòng ghi bên trên, hoặc một dòng trước đó: thường là thiếu dấu ngoặc kép hay dấu hai chấm, hoặc dùng phím Tab thay cho dấu cách (tệp mẫu: /usr/share/doc/tramso/config.example.yaml)",
	"edit %s and correct the field named above (the example is /usr/share/doc/tramso/config.example.yaml)":                                                                    "sửa trường ghi bên trên trong tệp %s (tệp mẫu: /usr/share/doc/tramso/config.example.yaml)",
	"not checked: the config does not load, so the hub, province key and speech checks were skipped, and the clock was not compared with the hub's":                           "bỏ qua: tệp cấu hình bị lỗi nên chưa kiểm tra được máy chủ của tỉnh, khóa của tỉnh và giọng đọc; đồng hồ cũng chưa được so với máy chủ của tỉnh",
	"fix the config first, then run `tramso doctor` again":                                                                                                                    "sửa tệp cấu hình trước, rồi chạy lại `tramso doctor`",
	"config %s: %s: %s":                   "tệp cấu hình %s có lỗi ở %s: %s",
	"config %s: %s":                       "tệp cấu hình %s: %s",
	"cannot open the config %s: %s":       "không mở được tệp cấu hình %s: %s",
	"the config %s is not valid YAML: %s": "tệp cấu hình %s sai cú pháp YAML: %s",

	// The province key.
	"%d province key(s) pinned": "đã ghim %d khóa của tỉnh",
	"pin it from the province's province.pub, with the key id the province gave: sudo tramso pin-key --key-id ID province.pub": "ghim khóa từ tệp province.pub của tỉnh, với mã khóa (key id) tỉnh đã cấp: sudo tramso pin-key --key-id ID province.pub",
	"no province key is pinned (hub.province_keys is empty): the kiosk refuses every pack, from USB too":                       "chưa ghim khóa của tỉnh (hub.province_keys đang trống): máy sẽ từ chối mọi gói nội dung, kể cả gói chép từ USB",
	"no province key is pinned (hub.province_keys is empty): the kiosk will refuse every content pack":                         "chưa ghim khóa của tỉnh (hub.province_keys đang trống): máy sẽ từ chối mọi gói nội dung",
	"run `tramso enroll --hub %s --code CODE --key-id ID` again with the key id the province gave (it pins that key), or %s":   "chạy lại `tramso enroll --hub %s --code CODE --key-id ID` với mã khóa tỉnh đã cấp (lệnh này ghim khóa đó), hoặc %s",

	// The hub.
	"the database holds an enrollment with %s (device %s), but the config names no hub: the kiosk does not connect and gets no updates":                                                   "cơ sở dữ liệu còn giữ đăng ký với %s (thiết bị %s), nhưng tệp cấu hình không ghi máy chủ nào: máy không kết nối và không nhận cập nhật",
	"to take updates from that hub again, set hub.url: %s in %s; to keep this kiosk off the hub, nothing to do":                                                                           "muốn nhận cập nhật từ máy chủ đó trở lại, ghi hub.url: %s vào %s; nếu không muốn máy kết nối máy chủ thì không cần làm gì",
	"no hub configured: the kiosk works offline with the content it has, and takes updates by USB only (tramso pack apply)":                                                               "chưa cấu hình máy chủ của tỉnh: máy chạy không cần mạng với nội dung đang có, và chỉ nhận cập nhật qua USB (tramso pack apply)",
	"to take updates from the province hub, enroll it with the code the hub shows: tramso enroll --hub URL --code CODE --key-id ID; a commune with no usable link has nothing to do here": "muốn nhận cập nhật từ máy chủ của tỉnh, hãy đăng ký máy bằng mã mà máy chủ hiện ra: tramso enroll --hub URL --code CODE --key-id ID; xã không có đường truyền dùng được thì không cần làm gì",
	"%s; the kiosk uses the province's other hub(s) meanwhile":                                                                                                                            "%s; trong lúc này máy dùng máy chủ khác của tỉnh",
	"hub address %s":                      "địa chỉ máy chủ của tỉnh %s",
	"correct hub.url (or hub.urls) in %s": "sửa hub.url (hoặc hub.urls) trong %s",
	"hub.ca_file: %s":                     "hub.ca_file: %s",
	"put the province CA's certificate (PEM) there, or correct hub.ca_file in %s":                                                                                       "đặt chứng chỉ CA của tỉnh (PEM) vào đó, hoặc sửa hub.ca_file trong %s",
	"the hub at %s has a certificate that no CA this kiosk trusts has signed (x509: unknown authority)":                                                                 "máy chủ của tỉnh ở %s có chứng chỉ không do CA nào mà máy tin cậy ký (x509: unknown authority)",
	"the hub's certificate is signed neither by the CA in %s (hub.ca_file) nor by a public one: ask the province for its CA certificate (PEM) and put it there":         "chứng chỉ của máy chủ không do CA trong %s (hub.ca_file) ký, cũng không do CA công cộng nào ký: xin tỉnh chứng chỉ CA (PEM) và đặt vào đó",
	"if the province runs its own CA, get its certificate (PEM) from the province, save it as /etc/tramso/hub-ca.pem and set hub.ca_file: /etc/tramso/hub-ca.pem in %s": "nếu tỉnh dùng CA riêng, xin tỉnh chứng chỉ (PEM), lưu thành /etc/tramso/hub-ca.pem và ghi hub.ca_file: /etc/tramso/hub-ca.pem vào %s",
	"the hub at %s %s": "máy chủ của tỉnh ở %s %s",
	"has a certificate valid from %s to %s, and this machine's clock says %s": "có chứng chỉ hiệu lực từ %s đến %s, còn đồng hồ của máy này đang chỉ %s",
	"if this machine's date or time is wrong, set it (`timedatectl set-ntp true`, or `date -s '2026-11-27 08:00'`); if it is right, the hub's certificate is out of date: tell the province": "nếu ngày giờ của máy này sai, hãy chỉnh lại (`timedatectl set-ntp true`, hoặc `date -s '2026-11-27 08:00'`); nếu ngày giờ đúng thì chứng chỉ của máy chủ đã hết hạn: hãy báo cho tỉnh",
	"cannot reach the hub at %s: %s": "không kết nối được máy chủ của tỉnh ở %s: %s",
	"check the network (cable, Wi-Fi or 4G), then the hub address (hub.url or hub.urls) in %s; if both are right, ask the province whether the hub is up": "kiểm tra mạng (cáp, Wi-Fi hoặc 4G), rồi kiểm tra địa chỉ máy chủ (hub.url hoặc hub.urls) trong %s; nếu cả hai đều đúng, hỏi tỉnh xem máy chủ có đang chạy không",
	"the hub at %s answered %s": "máy chủ của tỉnh ở %s trả lời %s",
	"check the hub address (hub.url or hub.urls) in %s (it should be the address the province gave); ask the province whether the hub is up": "kiểm tra địa chỉ máy chủ (hub.url hoặc hub.urls) trong %s (phải đúng địa chỉ tỉnh đã cấp); hỏi tỉnh xem máy chủ có đang chạy không",
	"the hub at %s answers":                             "máy chủ của tỉnh ở %s có trả lời",
	"%s (its certificate checked against the CA in %s)": "%s (chứng chỉ đã được đối chiếu với CA trong %s)",
	"enroll again with a new code from the province: tramso enroll --hub %s --code CODE --key-id ID":                                                        "đăng ký lại với mã mới của tỉnh: tramso enroll --hub %s --code CODE --key-id ID",
	"this kiosk is not enrolled (its database holds no enrollment), so it does not connect to the hub at %s although hub.url names it, and gets no updates": "máy này chưa đăng ký (cơ sở dữ liệu không có đăng ký nào), nên không kết nối máy chủ của tỉnh ở %s dù hub.url có ghi, và không nhận cập nhật",
	"%s, but did not say whether it knows this kiosk (device %s): %s":                                                                                       "%s, nhưng không cho biết có nhận ra máy này không (thiết bị %s): %s",
	"run doctor again in a minute":        "một phút nữa hãy chạy lại `tramso doctor`",
	"%s and knows this kiosk (device %s)": "%s và nhận ra máy này (thiết bị %s)",
	"the hub at %s does not know this kiosk's enrollment (revoked, or enrolled elsewhere): device %s": "máy chủ của tỉnh ở %s không nhận ra đăng ký của máy này (đã bị thu hồi, hoặc đã đăng ký ở nơi khác): thiết bị %s",
	"%s, the hub says: %s": "%s; máy chủ báo: %s",
	"%s, but answered %s when asked whether it knows this kiosk (device %s)":    "%s, nhưng trả lời %s khi được hỏi có nhận ra máy này không (thiết bị %s)",
	"ask the province whether the hub runs the same version as this kiosk (%s)": "hỏi tỉnh xem máy chủ có chạy cùng phiên bản với máy này không (%s)",
	"connection refused (nothing listens there)":                                "bị từ chối kết nối (không có gì đang chờ ở địa chỉ đó)",
	"no answer (timed out)":              "không có trả lời (quá thời gian chờ)",
	"the name %s does not resolve (DNS)": "không tra được tên %s (DNS)",

	// The clock.
	"turn on time sync (`timedatectl set-ntp true`), or set the clock by hand: `date -s '2026-11-27 08:00'`; replace the mainboard's battery if it forgets the time at power cuts": "bật đồng bộ giờ (`timedatectl set-ntp true`), hoặc chỉnh giờ bằng tay: `date -s '2026-11-27 08:00'`; nếu máy mất giờ mỗi lần mất điện, hãy thay pin trên bo mạch chủ",
	"the clock says %s, which cannot be right":                       "đồng hồ đang chỉ %s, không thể đúng được",
	"the clock is %s off the hub's":                                  "đồng hồ lệch %s so với máy chủ của tỉnh",
	"the clock agrees with the hub's (%s)":                           "đồng hồ khớp với máy chủ của tỉnh (%s)",
	"the clock says %s":                                              "đồng hồ đang chỉ %s",
	"%s (not compared with the hub's clock: the hub did not answer)": "%s (chưa so được với máy chủ của tỉnh vì máy chủ không trả lời)",
	"run doctor again once the hub answers":                          "chạy lại `tramso doctor` khi máy chủ trả lời",

	// The content and the offices.
	"cannot read the content state: %s":                                                 "không đọc được tình trạng nội dung: %s",
	"cannot read the starter content: %s":                                               "không đọc được nội dung có sẵn: %s",
	"commune.offices gives an address for each of the %d office(s) the procedures name": "commune.offices có địa chỉ cho cả %d cơ quan mà các thủ tục nhắc đến",
	"%q (for %s)": "%q (cho thủ tục: %s)",
	"commune.offices has no address for office %s: residents are told \"Máy chưa có địa chỉ nơi nộp\" instead of where to go and when it opens":                                                                             "commune.offices chưa có địa chỉ của cơ quan %s. Người dân sẽ thấy \"Máy chưa có địa chỉ nơi nộp\" thay vì nơi cần đến và giờ mở cửa",
	"add each office to commune.offices in %s (id, name, address, phone, hours: see /usr/share/doc/tramso/config.example.yaml), then restart the kiosk; if the id is a typo in the content, tell the province":              "thêm từng cơ quan vào commune.offices trong %s (id, name, address, phone, hours: xem /usr/share/doc/tramso/config.example.yaml), rồi khởi động lại máy; nếu id bị gõ sai trong nội dung, hãy báo cho tỉnh",
	"no content pack applied: the kiosk shows the built-in starter content":                                                                                                                                                 "chưa cài gói nội dung nào: máy đang hiện nội dung có sẵn",
	"the current content (generation %d) verifies under the pinned province keys":                                                                                                                                           "nội dung hiện tại (bản %d) có chữ ký hợp lệ theo khóa của tỉnh đã ghim",
	"the current content (generation %d) is signed by no key this kiosk pins (hub.province_keys), so the kiosk shows %s instead; fetching it again cannot help, the kiosk waits for a newer generation a pinned key signed": "nội dung hiện tại (bản %d) không được ký bằng khóa nào máy đã ghim (hub.province_keys), nên máy đang hiện %s thay vào. Tải lại cũng không giúp được: máy chờ một bản mới hơn được ký bằng khóa đã ghim",
	"the province publishes a pack signed by a key this kiosk pins (or re-signs the content on the hub as a new generation: tramso hub rollback --key NEW.key --to %d); the kiosk takes it by itself. If the key that signed generation %d is still the province's, pin it again (sudo tramso pin-key --config %s --key-id ID province.pub) and restart the kiosk (sudo systemctl restart tramso-kiosk)": "tỉnh phát hành một gói ký bằng khóa mà máy đã ghim (hoặc ký lại nội dung trên máy chủ thành bản mới: tramso hub rollback --key NEW.key --to %d); máy sẽ tự nhận. Nếu khóa đã ký bản %d vẫn là khóa của tỉnh, hãy ghim lại (sudo tramso pin-key --config %s --key-id ID province.pub) rồi khởi động lại máy (sudo systemctl restart tramso-kiosk)",
	"the current content (generation %d) is whole and signed, but this version of tramso cannot read it (%v), so the kiosk shows %s instead: it was built for another version, usually before this kiosk was upgraded; fetching it again cannot help":                                                                                                                                                    "nội dung hiện tại (bản %d) đầy đủ và có chữ ký, nhưng phiên bản tramso này không đọc được (%v), nên máy đang hiện %s thay vào. Nội dung được dựng cho phiên bản khác, thường là trước khi máy được nâng cấp; tải lại cũng không giúp được",
	"the province checks its content folder with this version's tramso pack lint, builds a new pack with it and publishes it (or applies it here from USB: tramso pack apply); the kiosk takes it by itself":                                                                                                                                                                                             "tỉnh kiểm tra thư mục nội dung bằng tramso pack lint của phiên bản này, dựng gói mới rồi phát hành (hoặc cài tại đây từ USB: tramso pack apply); máy sẽ tự nhận",
	"the current content (generation %d) does not load (%v), so the kiosk shows %s instead":                                                                 "nội dung hiện tại (bản %d) không nạp được (%v), nên máy đang hiện %s thay vào",
	"an enrolled kiosk that reaches its hub fetches the lost or damaged files again by itself; otherwise apply the pack again from USB (tramso pack apply)": "máy đã đăng ký và kết nối được máy chủ sẽ tự tải lại các tệp bị mất hoặc hỏng; nếu không, hãy cài lại gói từ USB (tramso pack apply)",
	"the built-in starter content":     "nội dung có sẵn",
	"generation %d (the previous one)": "bản %d (bản trước)",
	"office %q: the hours line %q cannot be read (%s): residents see this office's hours as typed, without \"Hôm nay mở cửa\" or when it opens again":           "cơ quan %q: máy không đọc được giờ làm việc %q (%s). Người dân sẽ thấy giờ đúng như đã gõ, không có \"Hôm nay mở cửa\" và giờ mở cửa lại",
	"office %q: the hours line %q (line %d) cannot be read (%s): residents see this office's hours as typed, without \"Hôm nay mở cửa\" or when it opens again": "cơ quan %q: máy không đọc được giờ làm việc %q (dòng %d): %s. Người dân sẽ thấy giờ đúng như đã gõ, không có \"Hôm nay mở cửa\" và giờ mở cửa lại",
	"write it in %s like %s; one line per set of days, then restart the kiosk":                                                                                  "viết lại trong %s theo mẫu %s; mỗi nhóm ngày một dòng, rồi khởi động lại máy",
	hours.LineForm: `"T2-T6 7h30-11h30, 13h30-17h" (ngày: T2…T7 và CN, Thứ Hai…Chủ nhật hoặc Mon…Sun; một ngày, ngày đầu và ngày cuối, hoặc liệt kê như "T7, CN" hay "Thứ 2, Thứ 4, Thứ 6", mỗi ngày một lần; sau đó là giờ)`,

	// The languages offered.
	"cannot tell which languages residents are offered: %s":                        "không xác định được người dân được chọn những ngôn ngữ nào: %s",
	"residents are offered every configured language: %s":                          "người dân được chọn mọi ngôn ngữ đã cấu hình: %s",
	"%s of screen lines translated":                                                "tỉ lệ dòng chữ đã dịch: %s",
	"%s is configured but residents will not see them: %s (offer_threshold %d%%)":  "%s đã được cấu hình nhưng người dân sẽ không thấy (%s; offer_threshold %d%%)",
	"%s are configured but residents will not see them: %s (offer_threshold %d%%)": "%s đã được cấu hình nhưng người dân sẽ không thấy (%s; offer_threshold %d%%)",
	"have the screens translated (README, \"Translations: commissioning Ê Đê and M'nông\"), or list them under offer_untranslated in %s to show them anyway, labelled \"chưa dịch đủ\"; then restart the kiosk": "nhờ dịch các màn hình (README, \"Translations: commissioning Ê Đê and M'nông\"), hoặc ghi các ngôn ngữ đó vào offer_untranslated trong %s để vẫn hiện, kèm nhãn \"chưa dịch đủ\"; rồi khởi động lại máy",

	// The kiosk's voice.
	"the kiosk's voice is off (speech.engine: off): screens without a recorded narration cannot be heard": "giọng đọc của máy đang tắt (speech.engine: off): màn hình nào chưa có lời đọc thu sẵn thì không nghe được",
	"set speech.engine: espeak-ng in %s": "ghi speech.engine: espeak-ng vào %s",
	"the speech engine %q is not installed: screens without a recorded narration cannot be heard":                                                                         "chưa cài bộ đọc %q: màn hình nào chưa có lời đọc thu sẵn thì không nghe được",
	"apt-get install espeak-ng (the tramso package depends on it), or set speech.engine in %s to where it is":                                                             "apt-get install espeak-ng (gói tramso cần gói này), hoặc ghi đường dẫn của bộ đọc vào speech.engine trong %s",
	"no voice is configured (speech.voices is empty): screens without a recorded narration cannot be heard":                                                               "chưa cấu hình giọng đọc nào (speech.voices đang trống): màn hình nào chưa có lời đọc thu sẵn thì không nghe được",
	"set speech.voices in %s, for example {vi: vi, en: en}":                                                                                                               "ghi speech.voices vào %s, ví dụ {vi: vi, en: en}",
	"the voice %s for %s is not installed: the engine would read with its default voice":                                                                                  "chưa cài giọng %s cho ngôn ngữ %s: bộ đọc sẽ đọc bằng giọng mặc định",
	"list the installed voices with `espeak-ng --voices=%s` and set speech.voices.%s in %s to one of them":                                                                "xem các giọng đã cài bằng `espeak-ng --voices=%s`, rồi ghi một giọng trong đó vào speech.voices.%s trong %s",
	"%s speaks %s with voice %s (%.1f s for %q)":                                                                                                                          "%s đọc được ngôn ngữ %s bằng giọng %s (%.1f giây cho %q)",
	"the voice %s for %s cannot speak: %v":                                                                                                                                "giọng %s cho ngôn ngữ %s không đọc được: %v",
	"list the installed voices with `espeak-ng --voices=%s` and set speech.voices.%s in %s to one of them (apt-get install --reinstall espeak-ng-data if none is listed)": "xem các giọng đã cài bằng `espeak-ng --voices=%s`, rồi ghi một giọng trong đó vào speech.voices.%s trong %s (nếu không thấy giọng nào, chạy apt-get install --reinstall espeak-ng-data)",
}

// errnoVi says the system errors a technician meets, with Go's English
// after them for a search.
var errnoVi = map[syscall.Errno]string{
	syscall.EACCES:  "không có quyền truy cập (permission denied)",
	syscall.EPERM:   "không được phép (operation not permitted)",
	syscall.ENOENT:  "không có tệp hay thư mục này (no such file or directory)",
	syscall.ENOTDIR: "không phải là thư mục (not a directory)",
	syscall.EROFS:   "ổ đĩa đang ở chế độ chỉ đọc (read-only file system)",
	syscall.ENOSPC:  "ổ đĩa đã đầy (no space left on device)",
	syscall.EIO:     "lỗi đọc ghi ổ đĩa (input/output error)",
}

// rule rewrites part of an English problem that another package words (the
// config's validation, an hours line's parser) into Vietnamese.
type rule struct {
	re *regexp.Regexp
	vi string
}

func rules(pairs ...string) []rule {
	out := make([]rule, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, rule{regexp.MustCompile(pairs[i]), pairs[i+1]})
	}
	return out
}

const quoted = `("(?:[^"\\]|\\.)*")`

// hoursRulesVi say hours.ParseLine's and the schedule's problems.
var hoursRulesVi = rules(
	`^has no times like 7h30-11h30`, `không có giờ dạng 7h30-11h30`,
	`^names no days before the times`, `không ghi ngày trước giờ`,
	quoted+` are not days like T2-T6, Thứ Hai–Thứ Sáu or T7`, `$1 không phải là ngày dạng T2-T6, Thứ Hai–Thứ Sáu hoặc T7`,
	quoted+` is not a time like (\S+)`, `$1 không phải là giờ dạng $2`,
	quoted+` overlaps or comes before (.+?); list the ranges in order`, `$1 trùng hoặc đứng trước $2; hãy ghi các khoảng giờ theo thứ tự`,
	quoted+` holds two ranges: put a comma between them, as in`, `$1 có hai khoảng giờ: hãy đặt dấu phẩy giữa chúng, như`,
	quoted+` is not a range like 07:30-11:30 \(a day off: closed\)`, `$1 không phải là khoảng giờ dạng 07:30-11:30 (ngày nghỉ: closed)`,
	quoted+` is not a range like 07:30-11:30`, `$1 không phải là khoảng giờ dạng 07:30-11:30`,
	quoted+` ends before it starts`, `$1 có giờ kết thúc trước giờ bắt đầu`,
	quoted+` names a day twice \(`+quoted+` and `+quoted+`\)`, `$1 ghi một ngày hai lần ($2 và $3)`,
	`^a day it names has other times on the line `+quoted+`: name each day on one line, or give it times that do not overlap`,
	`một ngày trong dòng này đã có giờ khác ở dòng $1: mỗi ngày chỉ ghi ở một dòng, hoặc ghi giờ không trùng nhau`,
)

// configRulesVi say the config's validation problems (config.FieldError)
// and the YAML library's.
var configRulesVi = rules(
	`\(line (\d+)\)`, `(dòng $1)`,
	`; line (\d+) opens a quote \(\"\) it never closes`, `; dòng $1 mở dấu ngoặc kép (") mà không đóng lại`,
	`\byaml: line (\d+):`, `yaml: dòng $1:`,
	`found unexpected end of stream`, `tệp kết thúc giữa chừng (found unexpected end of stream)`,
	`did not find expected key`, `không thấy tên trường ở chỗ cần có (did not find expected key)`,
	`mapping values are not allowed in this context`, `có dấu hai chấm ở chỗ không được có (mapping values are not allowed in this context)`,
	`found character that cannot start any token`, `có ký tự không được phép, thường là phím Tab (found character that cannot start any token)`,
	`is not a field this config knows: misspelt, or in the wrong section\?`, `không phải là trường mà tệp cấu hình biết: gõ sai chính tả, hay đặt nhầm mục?`,
	`is not a list \(write it \[a, b\], or one "- item" per line\)`, `không phải là danh sách (viết [a, b], hoặc mỗi mục một dòng "- mục")`,
	`is not a section \(its fields indented on the lines below\)`, `không phải là một mục (các trường của nó thụt lề ở các dòng bên dưới)`,
	`is not true or false`, `không phải là true hoặc false`,
	`is not a whole number`, `không phải là số nguyên`,
	`is not a number`, `không phải là số`,
	`is not text`, `không phải là chữ`,
	`is not a section: write each day on its own line below it,`, `không phải là một mục: hãy viết mỗi ngày một dòng bên dưới,`,
	`(-?\d+) is outside (\d+)\.\.(\d+)`, `$1 nằm ngoài khoảng $2..$3`,
	`\(residents need at least 30 s to answer\)`, `(người dân cần ít nhất 30 giây để trả lời)`,
	`\(0: never\)`, `(0: không bao giờ)`,
	`words per minute`, `từ mỗi phút`,
	`^is empty`, `đang để trống`,
	quoted+` is not one of `, `$1 không nằm trong `,
	quoted+` is listed twice`, `$1 bị ghi hai lần`,
	quoted+` is used twice`, `$1 bị dùng hai lần`,
	quoted+` is not a day; use `, `$1 không phải là ngày; hãy dùng `,
	`, each on its own line:`, `, mỗi ngày một dòng:`,
	`a day not listed is closed`, `ngày không ghi là ngày nghỉ`,
	quoted+` is not a time zone like`, `$1 không phải là múi giờ như`,
	`is not a percentage from 1 to 100`, `không phải là phần trăm từ 1 đến 100`,
	`must start with vi \(Vietnamese is the default and the fallback\)`, `phải bắt đầu bằng vi (tiếng Việt là ngôn ngữ mặc định và dự phòng)`,
	`; also `, `; ngoài ra `,
)
