// Words Decap's Vietnamese translation lacks (it falls back to English for them): those a reporter meets while
// writing a story. Merged over Decap's own `vi`.
export default {
  collection: {
    collectionTop: { viewAs: "Xem dạng", viewAsList: "Xem dạng danh sách", viewAsGrid: "Xem dạng lưới", groupBy: "Nhóm theo" },
    entries: { unpublishedHeader: "Bài chưa công bố" },
    groups: { other: "Khác", negateLabel: "Không %{label}" },
  },
  editor: {
    editorControl: { field: { widgetLabel: "Ô %{widgetLabel}" } },
    editorInterface: { togglePreview: "Bật/tắt xem trước", toggleScrollSync: "Cuộn cùng nhau" },
    editorWidgets: {
      markdown: {
        bold: "Đậm",
        italic: "Nghiêng",
        strikethrough: "Gạch ngang",
        code: "Mã",
        link: "Liên kết",
        linkPrompt: "Nhập địa chỉ của liên kết",
        headings: "Tiêu đề mục",
        quote: "Trích dẫn",
        bulletedList: "Danh sách chấm",
        numberedList: "Danh sách số",
        addComponent: "Thêm thành phần",
        toggleMode: { rich: "Chuyển sang văn bản định dạng", markdown: "Chuyển sang Markdown" },
      },
      image: {
        chooseMultiple: "Chọn nhiều ảnh",
        chooseUrl: "Chèn từ địa chỉ",
        replaceUrl: "Thay bằng địa chỉ",
        promptUrl: "Nhập địa chỉ của ảnh",
        addMore: "Thêm ảnh",
        removeAll: "Bỏ mọi ảnh",
      },
      file: {
        chooseUrl: "Chèn từ địa chỉ",
        chooseMultiple: "Chọn nhiều tệp",
        replaceUrl: "Thay bằng địa chỉ",
        promptUrl: "Nhập địa chỉ của tệp",
        addMore: "Thêm tệp",
        removeAll: "Bỏ mọi tệp",
      },
      datetime: { setToNow: "Đặt %{fieldLabel} là bây giờ" },
      list: { add: "Thêm %{item}", addType: "Thêm %{item}" },
      object: { expand: "Mở ra", collapse: "Thu gọn" },
    },
  },
  mediaLibrary: {
    mediaLibraryCard: {
      copy: "Sao chép",
      copyUrl: "Sao chép địa chỉ",
      copyPath: "Sao chép đường dẫn",
      copyName: "Sao chép tên",
      copied: "Đã sao chép",
    },
    mediaLibraryModal: { close: "Đóng" },
  },
  ui: { settingsDropdown: { account: "Tài khoản" } },
};
