"""Cẩm Giàng's report for quý I năm 2024 as data: the header and narrative of seed/000_2f959b74d0f1a55a.txt.

The narrative is the seed's own text, section by section, with every figure that an item of the definition
states replaced by its placeholder (``{7.2.4.a}``, ``{1.2.2:02}`` for a count written with a leading zero).
Document numbers, dates, years and the names of laws stay text. Where the seed's prose contradicted its own
table ("20 người" for 18 staff, "chiếm 55,6%" for 1 of 18) the placeholder now reads the table, so the
rendered text is right by construction. The typed values stay as the seed has them (``load_demo_values()``),
including its two real conflicts (29 hồ sơ received but 7 online + 7 in person; 8 procedures with online
filings but 7 online hồ sơ), which the draft shows as errors for the clerk to fix.

The seed's opening paragraph ("Thực hiện Văn bản số 294/UBND-NV…") and closing sentence ("Trên đây là…") are
stored as the narrative parts "opening" and "closing", in the seed's own words.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from baocao.core.numbers import format_document_date

__all__ = ["DOCUMENT_DATE", "HEADER", "NARRATIVE", "UNIT_CODE", "narrative_for"]

UNIT_CODE = "02008"

# The seed's own date (Số 15/BC-UBND ngày 28/02/2024); the loader moves it with the demo's other dates.
DOCUMENT_DATE = date(2024, 2, 28)
HEADER: dict[str, object] = {
    "number": "15",
    "place": "Cẩm Giàng",
    "addressee": "UBND huyện Bạch Thông",
    "signer_authority": "TM. ỦY BAN NHÂN DÂN",
    "signer_title": "CHỦ TỊCH",
    "signer_name": "Vũ Văn Thành",
    "recipients": "\n".join(
        [
            "- Phòng Nội vụ huyện;",
            "- TT Đảng ủy, HĐND xã;",
            "- CT, PCT UBND xã;",
            "- BCĐ CCHC xã;",
            "- Lưu: VT.",
        ]
    ),
}


def _text(*paragraphs: str) -> str:
    return "\n".join(paragraphs)


# Every narrative part of the definition's outline, opening and closing included. "I", "II" and "III" are
# headings only: the seed has no text of their own, so they are empty and the loader stores nothing for them.
NARRATIVE: dict[str, str] = {
    "opening": _text(
        "Thực hiện Văn bản số 294/UBND-NV ngày 08 tháng 02 năm 2024 của UBND huyện Bạch Thông về việc hướng"
        " dẫn thực hiện báo cáo công tác cải cách hành chính (CCHC) định kỳ. Ủy ban nhân dân xã Cẩm Giàng"
        " báo cáo kết quả thực hiện công tác CCHC quý I năm 2024 như sau:",
    ),
    "I": "",
    "I.1": _text(
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể CCHC nhà"
        " nước giai đoạn 2021 - 2030 và các văn bản chỉ đạo của Trung ương, tỉnh, huyện về công tác CCHC;"
        " kế thừa và phát huy những kết quả đạt được trong năm 2023. Ngay từ đầu năm UBND xã đã ban hành Kế"
        " hoạch CCHC năm 2024, đề ra {N.plan_objectives} mục tiêu và {1.2.1} nhiệm vụ cụ thể trên tất cả"
        " các lĩnh vực; trong đó giao trách nhiệm thực hiện cụ thể, thời gian thực hiện. Trong quá trình"
        " triển khai thực hiện, lãnh đạo UBND xã cũng thường xuyên chỉ đạo, đôn đốc. Ngoài ra, UBND xã đã"
        " ban hành nhiều văn bản để triển khai và tổ chức thực hiện.",
    ),
    "I.2": _text(
        "Tổng số nhiệm vụ đề ra trong kế hoạch: {1.2.1} nhiệm vụ, trong đó: Số nhiệm vụ đã hoàn thành"
        " {1.2.2:02} nhiệm vụ; các nhiệm vụ còn lại đang thực hiện.",
    ),
    "I.3": _text(
        "Việc tổ chức tuyên truyền, phổ biến các nội dung trong công tác CCHC luôn được Đảng ủy, UBND xã"
        " quan tâm và kịp thời chỉ đạo tổ chức thực hiện; các ban, ngành phối hợp tổ chức tuyên truyền sâu"
        " rộng tới các tổ chức và các tầng lớp nhân dân về các nội dung chương trình CCHC.",
        "Việc tuyên truyền được thực hiện với nhiều thức, cách thức khác nhau như thông qua tại các cuộc"
        " họp, hội nghị và hệ thống truyền thanh, trang thông tin điện tử xã, tuyên truyền trực tiếp đến"
        " người dân, cụ thể: tuyên truyền trên hệ thống Đài truyền thanh được {N.radio_broadcasts:02} lượt,"
        " trên Trang TTĐT được {N.web_articles:02} tin, bài.",
    ),
    "I.4": _text(
        "Để nâng cao Chỉ số CCHC xã năm 2024 thì việc nghiên cứu và xây dựng sáng kiến, giải pháp trong"
        " thực hiện nhiệm vụ CCHC là nhiệm vụ trọng tâm, thường xuyên, trưởng Ban chỉ đạo CCHC xã đã chỉ"
        " đạo cán bộ, công chức xã đặc biệt là Bộ phận Tiếp nhận và Trả kết quả nghiêm túc triển khai thực"
        " hiện Văn bản số 1425/UBND-NV ngày 05/7/2023 của UBND huyện về việc xây dựng sáng kiến, giải pháp"
        " mới trong thực hiện nhiệm vụ chuyên môn gắn với công tác CCHC.",
    ),
    "II": "",
    "II.1": _text(
        "- Kết quả xây dựng, ban hành văn bản quy phạm pháp luật (QPPL): Trong quý I UBND xã không xây"
        " dựng, ban hành văn bản QPPL.",
        "- Kết quả tổ chức thi hành pháp luật và theo dõi, thi hành pháp luật: UBND xã đã ban hành và tổ"
        " chức triển khai Kế hoạch số 17/KH-UBND ngày 06/02/2024 về theo dõi tình hình thi hành pháp luật"
        " và thi hành pháp luật về xử lý vi phạm hành chính trên địa bàn xã Cẩm Giàng năm 2024; Kế hoạch số"
        " 04/KH – UBND ngày 17/01/2024 về tuyên truyền, phổ biến pháp luật trong lĩnh vực lâm nghiệp.",
        "- Kết quả kiểm tra văn bản QPPL: Số lượng văn bản đã kiểm tra {2.2:02}; số văn bản cần xử lý sau"
        " kiểm tra {2.2.1.a}.",
        "- Kết quả rà soát văn bản QPPL: Số lượng văn bản đã rà soát {2.3.1:02}; số văn bản cần xử lý sau"
        " rà soát {2.3.2.a}; tiến độ.",
        "- Kết quả thực hiện tuyên truyền, phổ biến giáo dục pháp luật: UBND xã đã ban hành Kế hoạch số"
        " 04/KH-UBND ngày 17/01/2024 về tuyên truyền giáo dục pháp luật về Lâm nghiệp trên địa bàn xã và Kế"
        " hoạch số 19/KH-UBND ngày 21/02/2024 về công tác phổ biến, giáo dục pháp luật; hòa giải ở cơ sở;"
        " cấp xã đạt chuẩn tiếp cận pháp luật năm 2024.",
    ),
    "II.2": _text(
        "- Kết quả rà soát, cắt giảm, đơn giản hóa TTHC: Chưa đến thời gian rà soát theo Kế hoạch số"
        " 09/KH-UBND ngày 29/01/2024 của UBND xã về rà soát, đánh giá TTHC năm 2024.",
        "- Tổng hợp, cập nhật số lượng TTHC thuộc thẩm quyền giải quyết của cơ quan, đơn vị: Theo Quyết"
        " định số 1414/QĐ-UBND ngày 04/8/2023 của UBND tỉnh phê duyệt danh mục dịch vụ công trực tuyến,"
        " dịch vụ cung cấp thông tin trực tuyến thuộc thẩm quyền giải quyết của các cấp chính quyền trên"
        " địa bàn tỉnh Bắc Kạn, UBND xã có {3.1.4} TTHC, trong đó: Tổng số DVCTT {7.2.3.a}, DVCTT toàn"
        " trình {7.2.2.b}, DVCTT một phần {7.2.1.b}, dịch vụ cung cấp thông tin trực tuyến"
        " {N.info_services}.",
        "- Kết quả thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết TTHC:",
        "+ Tình hình tổ chức và hoạt động của Bộ phận Một cửa: Bộ phận Tiếp nhận và Trả kết quả xã được"
        " kiện toàn kịp thời; trang thiết bị được đầu tư, nâng cấp; phòng làm việc được đầu tư xây mới đảm"
        " bảo về diện tích theo quy định. UBND xã đã ban hành Thông báo phân công lịch trực của công chức"
        " làm việc tại Bộ phận Tiếp nhận và Trả kết quả.",
        "+ Kết quả thực hiện số hóa hồ sơ, giấy tờ, kết quả giải quyết TTHC: Bộ phận Tiếp nhận và Trả kết"
        " quả xã đã thực hiện việc ký số hóa thành phần hồ sơ, kết quả giải quyết TTHC trên phần mềm Một"
        " cửa điện tử.",
        "+ Kết quả giải quyết hồ sơ TTHC (Từ 25/11/2023 đến 24/02/2024): Tiếp nhận {7.2.4.a} hồ sơ, trong"
        " đó: Tiếp nhận trực tuyến {7.2.4.b:02} hồ sơ, trực tiếp {N.received_in_person:02} hồ sơ. Đã trả"
        " kết quả đúng hạn {3.3.1.b} hồ sơ, đạt tỷ lệ {3.3.1}%.",
        "+ Kết quả tiếp nhận, xử lý phản ánh, kiến nghị của người dân, tổ chức liên quan đến quy định TTHC:"
        " Không có.",
        "+ Kết quả thực hiện việc đánh giá chất lượng giải quyết TTHC: Quý I năm 2024 xã Cẩm Giàng được"
        " {N.score_766} điểm, xếp loại: {N.score_766_band}.",
    ),
    "II.3": _text(
        "Tổng số cán bộ, công chức xã hiện nay là {4.2.2} người, bố trí đúng quy định tại Nghị định số"
        " 33/2023/NĐ-CP ngày 10/6/2023 của Chính phủ; đội ngũ cán bộ, công chức xã đều được bố trí đúng vị"
        " trí việc làm theo trình độ chuyên môn. UBND xã đã ban hành Quyết định số 283/2021/QĐ-UBND ngày"
        " 24/8/2023 về việc ban hành Quy chế làm việc của UBND xã, nhiệm kỳ 2021-2026 trong đó quy định rõ"
        " nhiệm vụ của từng chức danh.",
        "Tiếp tục thực hiện quy định về phân cấp quản lý nhà nước theo quy định của Luật Tổ chức chính"
        " quyền địa phương năm 2015, Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật"
        " Tổ chức chính quyền địa phương năm 2019, Nghị quyết số 04/NQ-CP ngày 10/01/2022 của Chính phủ về"
        " đẩy mạnh phân cấp, phân quyền trong quản lý nhà nước và các văn bản do HĐND, UBND tỉnh quy định.",
    ),
    "II.4": _text(
        "Tỷ lệ đạt chuẩn của cán bộ, công chức xã là {N.staff_standard_share}%, cụ thể: Cao học"
        " {N.staff_postgraduate:02} người chiếm {N.staff_postgraduate_share}%; Đại học"
        " {N.staff_university:02} người, chiếm {N.staff_university_share}%; trung cấp {N.staff_college:02}"
        " người, chiếm {N.staff_college_share}%; Về quản lý nhà nước: Chuyên viên"
        " {N.staff_senior_specialist:02} người, chiếm {N.staff_senior_specialist_share}%.",
        "Nhìn chung, 100% cán bộ, công chức xã chấp hành nghiêm túc giờ giấc, nội quy, quy chế làm việc của"
        " cơ quan. Đến thời điểm báo cáo xã không có cán bộ, công chức bị xử lý kỷ luật.",
        "Đánh giá, phân loại cán bộ, công chức năm 2023: Hoàn thành suất sắc nhiệm vụ"
        " {N.staff_excellent:02}/{5.3.2}, đạt tỷ lệ {N.staff_excellent_share}%; Hoàn thành tốt nhiệm vụ"
        " {N.staff_good:02}/{5.3.2}, đạt tỷ lệ {N.staff_good_share}%;",
    ),
    "II.5": _text(
        "Tiếp tục triển khai thực hiện Nghị định số 130/2005/NĐ-CP của Chính phủ. Thực hiện đúng quy định"
        " của pháp luật về quản lý, sử dụng ngân sách nhà nước, đã chủ động trong việc sử dụng kinh phí tự"
        " chủ được giao; Ban hành Quyết định số 15/QĐ-UBND ngày 29/01/2024 của UBND xã về việc ban hành Quy"
        " chế chi tiêu nội bộ của UBND xã Cẩm Giàng năm 2024. Thực hiện công khai tài chính theo Thông tư"
        " số 61/2017/TT-BTC ngày 15/6/2017 của Bộ Tài chính hàng quý, 6 tháng theo quy định. UBND xã đã chủ"
        " động bố trí, sử dụng kinh phí cho phù hợp, tiết kiệm chi thường xuyên để tăng thêm thu nhập cho"
        " cán bộ, công chức.",
    ),
    "II.6": _text(
        "- Kết quả hoàn thiện thể chế phục vụ xây dựng, phát triển Chính quyền điện tử, Chính quyền số ở"
        " địa phương: UBND xã đã kịp thời kiện toàn Ban Chỉ đạo Chuyển đổi số khi có thay đổi về thành"
        " phần. Trong quá trình tổ chức triển khai thực hiện UBND xã đã xây dựng và ban hành kịp thời các"
        " kế hoạch, báo cáo, quyết định kiện toàn Ban Chỉ đạo đảm bảo thành phần, đúng chức năng nhiệm vụ,"
        " cụ thể: Kế hoạch số 14/KH-UBND ngày 02/02/2024 về thực hiện thủ tục hành chính trên môi trường"
        " điện tử và chuyển đổi số trong giải quyết thủ tục hành chính trên địa bàn xã; Kế hoạch số"
        " 34/KH-UBND ngày 22/02/2024 về triển khai thực hiện Quyết định số 06/QĐ-TTg ngày 06/01/2022 của"
        " Thủ tướng Chính phủ về việc phê duyệt Đề án “Phát triển ứng dụng dữ liệu về dân cư, định danh và"
        " xác thực điện tử phục vụ chuyển đổi số quốc gia giai đoạn 2022 -2025, tầm nhìn đến năm 2030” trên"
        " địa bàn xã...",
        "- Kết quả xây dựng, phát triển hạ tầng kỹ thuật: UBND xã đã bố trí đầy đủ máy tính, máy in cho cán"
        " bộ, công chức, cài đặt phần mềm diệt virus có bản quyền; lắp đặt đường truyền internet để đảm bảo"
        " cho việc xử lý các văn bản và giải quyết TTHC trên môi trường điện tử. Bộ phận Tiếp nhận và Trả"
        " kết quả được đầu tư về cơ sở vật chất, máy scan, máy photocopy đảm bảo cho việc tiếp nhận, giải"
        " quyết hồ sơ TTHC của người dân.",
        "- Kết quả xây dựng, phát triển các ứng dụng, dịch vụ nội bộ: Đội ngũ cán bộ, công chức xã thường"
        " xuyên sử dụng, duy trì các phần mềm, ứng dụng, dịch vụ công trực tuyến trong quá trình xử lý công"
        " việc.",
        "- Kết quả xây dựng, phát triển ứng dụng, dịch vụ phục vụ người dân, tổ chức: Bộ phận Tiếp nhận và"
        " Trả kết quả thường xuyên tuyên truyền, hướng dẫn người dân sử dụng các ứng dụng, sử dụng dịch vụ"
        " công trực tuyến để nộp hồ sơ.",
        "- Kết quả cung cấp dịch vụ công trực tuyến: Tỷ lệ TTHC được cung cấp trực tuyến trên địa bàn xã là"
        " {7.2.3.a}/{3.1.4}, đạt tỷ lệ {N.online_service_share}%.",
    ),
    "III": "",
    "III.1": _text(
        "Trong quý I năm 2024, công tác CCHC trên địa bàn xã đã bám sát các mục tiêu, nhiệm vụ kế hoạch đề"
        " ra và tiếp tục được sự quan tâm, chỉ đạo thường xuyên, trực tiếp của UBND huyện, Đảng ủy. Trong"
        " quá trình triển khai thực hiện có sự phân công, phối hợp chặt chẽ giữa các lĩnh vực; ý thức trách"
        " nhiệm trong tổ chức thực hiện CCHC của từng cán bộ, công chức tiếp tục có chuyển biến tích cực;"
        " kỷ luật, kỷ cương hành chính được nâng lên. Công tác chỉ đạo, điều hành được triển khai quyết"
        " liệt trên tất cả các lĩnh vực. Trang thiết bị, cơ sở vật chất đầu tư cho Bộ phận Tiếp nhận và Trả"
        " kết quả cơ bản đảm bảo yêu cầu thực hiện nhiệm vụ của cán bộ, công chức tại Bộ phận; các TTHC"
        " được niêm yết công khai và cập nhật thường xuyên tạo điều kiện thuận lợi cho người dân, tổ chức"
        " tra cứu; đội ngũ cán bộ, công chức ngày càng được chuẩn hóa, việc ứng dụng CNTT vào trong giải"
        " quyết công việc ngày càng nhuần nhuyễn, đã tạo điều kiện thuận lợi cho việc tiếp nhận và giải"
        " quyết TTHC cho người dân và tổ chức. Cơ chế một cửa, một cửa liên thông tiếp tục phát huy hiệu"
        " quả, tạo sự chuyển biến tích cực trong giải quyết thủ tục hành chính cho người dân theo hướng"
        " công khai, minh bạch, thuận tiện, đúng hẹn tạo niềm tin đối với tổ chức và cá nhân khi thực hiện"
        " thủ tục hành chính tại địa phương.",
    ),
    "III.2": _text(
        "- Việc triển khai cung cấp dịch vụ công trực tuyến, thanh toán trực tuyến tại cơ quan đã triển"
        " khai thực hiện. Tuy nhiên, tỷ lệ thanh toán trực tuyến chưa phát sinh hồ sơ.",
        "- Kinh phí dành cho công tác CCHC còn hạn chế, đặc biệt là kinh phí dành cho mua sắm trang thiết"
        " bị của Bộ phận Tiếp nhận và Trả kết quả...",
        "- Tác phong, lối làm việc của một số công chức chậm thay đổi, chưa chủ động trong tham mưu giải"
        " quyết công việc, còn một số cán bộ, công chức còn yếu về ứng dụng CNTT trong giải quyết công"
        " việc.",
    ),
    "IV": _text(
        "1. Tiếp tục triển khai thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành"
        " Chương trình tổng thể CCHC nhà nước giai đoạn 2021- 2030, Quyết định số 1814 /QĐ-UBND ngày"
        " 30/9/2021 của UBND tỉnh Bắc Kạn về ban hành Chương trình hành động thực hiện Nghị quyết số"
        " 76/NQ-CP ngày 15/7/2021 của Chính phủ và Nghị quyết số 08-NQ/TU ngày 22/4/2021 của Ban Chấp hành"
        " Đảng bộ tỉnh, giai đoạn 2021- 2025. Tiếp tục triển khai thực hiện các nhiệm vụ công tác cải cách"
        " hành chính năm 2024 trên địa bàn xã.",
        "2. Thực hiện rà soát, kiểm tra, hệ thống hóa văn bản QPPL do HĐND, UBND xã ban hành. Thực hiện tốt"
        " công tác tuyên truyền, công tác theo dõi thi hành pháp luật trên địa bàn xã.",
        "3. Tiếp tục thực hiện tốt công tác kiểm soát TTHC, giải quyết TTHC theo cơ chế một cửa, một cửa"
        " liên thông; trong đó chú trọng về thời gian giải quyết, giải quyết sớm hoặc đúng hạn tất cả thủ"
        " tục.",
        "4. Thường xuyên đăng ký cho cán bộ, công chức xã tham gia các lớp đào tạo, bồi dưỡng do các cấp tổ"
        " chức. Thực hiện tốt công tác giải ngân vốn đầu tư công, thực hiện nghiêm túc quy chế chi tiêu nội"
        " bộ; thu ngân sách đạt chỉ tiêu huyện giao.",
        "5. Tăng cường tuyên truyền, hỗ trợ người dân trong việc thực hiện dịch vụ công trực tuyến; đổi"
        " mới, đa dạng các hình thức tuyên truyền; duy trì và phát huy việc hỗ trợ người dân thực hiện dịch"
        " vụ công tại Bộ phận Tiếp nhận và Trả kết quả và thông qua các Tổ công nghệ số cộng đồng.",
        "6. Tiếp tục đẩy mạnh công tác tuyên truyền về chuyển đổi số trên các phương tiện thông tin đại"
        " chúng, các hội nghị... để người dân nắm được mục đích, ý nghĩa và những tiện ích do chuyển đổi số"
        " mang lại; từ đó nhân dân đồng tình ủng hộ, tham gia.",
        "7. Tăng cường tuyên truyền phổ biến về các chủ trương, chính sách, pháp luật, chiến lược về ứng"
        " dụng công nghệ thông tin, thực hiện chuyển đổi số của Đảng và Nhà nước; nâng cao nhận thức của"
        " toàn xã hội trên địa bàn xã trong việc chuyển đổi số để xây dựng chính quyền số, kinh tế số, xã"
        " hội số để thu hút, định hướng người dân, cơ sở kinh doanh ứng dụng công nghệ thông tin, thực hiện"
        " chuyển đổi số, tham gia xây dựng chính quyền số, tạo sự đồng thuận trong xã hội và toàn hệ thống"
        " chính trị.",
        "8. Tiếp tục triển khai cung cấp dịch vụ công trực tuyến toàn trình và dịch vụ công trực tuyến một"
        " phần. Tăng cường bảo mật thông tin và an toàn dữ liệu. Nâng cấp, hoàn thiện hạ tầng kỹ thuật, bao"
        " gồm: Nâng cấp, bổ sung máy tính, máy in, máy quét và đường truyền mạng nội bộ. Tiếp tục triển"
        " khai sử dụng chữ ký số, băng tin điện tử.",
        "9. Tham gia các lớp tập huấn, đào tạo kỹ năng về chuyển đổi số do các cấp tổ chức (nếu có).",
    ),
    "V": _text(
        "Không có.",
    ),
    "closing": _text(
        "Trên đây là Báo cáo kết quả thực hiện Công tác cải cách hành chính quý I năm 2024 của UBND xã Cẩm"
        " Giàng./.",
    ),
}


# What the seed's narrative says of its own period and of the letter asking for it. The dates it gives from
# the start of its data window to its own date are the period's (its window, the commune's plans).
SEED_PERIOD = "quý I năm 2024"
SEED_LETTER = "ngày 08 tháng 02 năm 2024"
SEED_SPAN = (date(2023, 11, 25), DOCUMENT_DATE)
SEED_YEAR = 2024
DAY = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
YEAR = re.compile(r"\bnăm (2023|2024)\b")


def narrative_for(period: str, year: int, shift: timedelta) -> dict[str, str]:
    """The seed's narrative for the demo's round of another period (``period`` "quý IV năm 2026" of ``year``,
    its dates ``shift`` after the seed's): the period, the letter asking for it, the dates of the quarter
    (its data window, the commune's plans) and "năm 2024"/"năm 2023" (this year, last year) follow the round.
    Every figure and the rest of the text stay the seed's: the decrees and older letters it cites keep their
    real numbers and dates (among them the seed's own mistake, 283/2021/QĐ-UBND ngày 24/8/2023)."""
    quarter = period.split(" năm ")[0]  # "quý IV"
    kept = {
        "\x00period\x00": (SEED_PERIOD, period),
        "\x00Period\x00": ("Q" + SEED_PERIOD[1:], period[:1].upper() + period[1:]),
        "\x00quarter\x00": ("Trong quý I UBND xã", f"Trong {quarter} UBND xã"),
        "\x00letter\x00": (SEED_LETTER, format_document_date(date(2024, 2, 8) + shift)),
    }

    def day(match: re.Match[str]) -> str:
        seen = date(int(match[3]), int(match[2]), int(match[1]))
        return f"{seen + shift:%d/%m/%Y}" if SEED_SPAN[0] <= seen <= SEED_SPAN[1] else match[0]

    def year_of(match: re.Match[str]) -> str:
        return f"năm {year - (SEED_YEAR - int(match[1]))}"

    moved = {}
    for section, text in NARRATIVE.items():
        for mark, (seed, _) in kept.items():
            text = text.replace(seed, mark)
        text = YEAR.sub(year_of, DAY.sub(day, text))
        for mark, (_, new) in kept.items():
            text = text.replace(mark, new)
        moved[section] = text
    return moved
