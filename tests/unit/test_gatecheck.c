/* test_gatecheck.c - unit tests for src/core/gatecheck.c.
 *
 * The fixture is an export truck 29C-123.45 with trailer 29R-012.34 and
 * two sealed containers, 20 t of goods on a 15 t rig, customs and border
 * guard approved, green channel, and gate readings that match it (written
 * the way devices report them: no separators, other case).  Each test
 * changes one thing and asserts the exact list of reason codes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/gatecheck.h"

static void fixture(lp_gate_input *in)
{
    memset(in, 0, sizeof *in);
    in->expect.plate = "29C-123.45";
    in->expect.trailer = "29R-012.34";
    in->expect.ncontainers = 2;
    in->expect.containers[0] = (lp_gate_container){"MSKU1234565", {"VN100001", "VN100002"}, 2};
    in->expect.containers[1] = (lp_gate_container){"TGHU7654321", {"VN100003"}, 1};
    in->expect.goods_g = 20000000;
    in->expect.tare_g = 15000000;
    in->expect.tol_permille = 20; /* 2 % of 35 t = 700 kg */
    in->expect.tol_g = 200000;
    in->expect.weight_required = 1;
    in->approvals[LP_GATE_CUSTOMS] = (lp_gate_approval){1, LP_GATE_ST_APPROVED};
    in->approvals[LP_GATE_BORDER_GUARD] = (lp_gate_approval){1, LP_GATE_ST_APPROVED};
    in->approvals[LP_GATE_QUARANTINE] = (lp_gate_approval){0, LP_GATE_ST_PENDING};
    in->channel = LP_RISK_GREEN;
    in->read.plate = (lp_gate_ocr){"29C12345", 950};
    in->read.trailer = (lp_gate_ocr){"29r01234", 910};
    in->read.ncontainers = 2;
    in->read.containers[0] = (lp_gate_ocr){"TGHU 765432 1", 880};
    in->read.containers[1] = (lp_gate_ocr){"msku1234565", 990};
    in->read.nseals = 3;
    in->read.seals[0] = "VN100003";
    in->read.seals[1] = "vn-100001";
    in->read.seals[2] = "VN100002";
    in->read.gross_g = 35150000;
    in->min_plate_confidence = 800;
    in->min_ocr_confidence = 800;
}

/* Decides and asserts HOLD with exactly the n codes given, in order (or
 * OPEN when n is 0).  Returns the result for checks of the messages. */
static lp_gate_result decide(const lp_gate_input *in, int n, ...)
{
    lp_gate_result out;
    va_list ap;
    int i;
    assert_int_equal(lp_gate_decide(in, &out), LP_OK);
    if (out.nreasons != n)
        for (i = 0; i < out.nreasons; i++)
            print_error("reason %s: %s\n", lp_gate_code_name(out.reasons[i].code), out.reasons[i].msg);
    assert_int_equal(out.nreasons, n);
    assert_int_equal(out.decision, n ? LP_GATE_HOLD : LP_GATE_OPEN);
    va_start(ap, n);
    for (i = 0; i < n; i++) {
        int code = va_arg(ap, int);
        if ((int)out.reasons[i].code != code)
            print_error("reason %d is %s, expected %s\n", i, lp_gate_code_name(out.reasons[i].code),
                        lp_gate_code_name((lp_gate_code)code));
        assert_int_equal(out.reasons[i].code, code);
    }
    va_end(ap);
    return out;
}

static void msg_is(const lp_gate_result *out, int i, const char *msg)
{
    assert_true(i < out->nreasons);
    assert_string_equal(out->reasons[i].msg, msg);
}

/* Opening ------------------------------------------------------------------- */

static void all_match_green_opens(void **state)
{
    lp_gate_input in;
    lp_gate_result out;
    (void)state;
    fixture(&in);
    out = decide(&in, 0);
    assert_int_equal(out.more, 0);
    assert_int_equal(out.weight_expected_g, 35000000);
    assert_int_equal(out.weight_read_g, 35150000);
    assert_int_equal(out.weight_tol_g, 700000);
    /* No trailer, no containers, no weighing: the plate alone. */
    in.expect.trailer = NULL;
    in.read.trailer = (lp_gate_ocr){NULL, 0};
    in.expect.ncontainers = 0;
    in.read.ncontainers = 0;
    in.read.nseals = 0;
    in.expect.weight_required = 0;
    in.read.gross_g = LP_GATE_NO_WEIGHT;
    out = decide(&in, 0);
    assert_int_equal(out.weight_expected_g, LP_GATE_NO_WEIGHT);
}

static void chinese_plate_with_middle_dot(void **state)
{
    lp_gate_input in;
    (void)state;
    fixture(&in);
    in.expect.plate = "桂A12345";
    in.read.plate.text = "桂A·12345";
    decide(&in, 0);
    in.read.plate.text = "桂B·12345";
    decide(&in, 1, LP_GATE_R_PLATE_MISMATCH);
}

/* Approvals and channel ------------------------------------------------------ */

static void approvals(void **state)
{
    lp_gate_input in;
    lp_gate_result out;
    (void)state;
    fixture(&in);
    in.approvals[LP_GATE_BORDER_GUARD].state = LP_GATE_ST_PENDING;
    out = decide(&in, 1, LP_GATE_R_APPROVAL_PENDING);
    assert_int_equal(out.reasons[0].agency, LP_GATE_BORDER_GUARD);
    msg_is(&out, 0, "border_guard approval is pending");
    fixture(&in);
    in.approvals[LP_GATE_QUARANTINE].required = 1;
    out = decide(&in, 1, LP_GATE_R_APPROVAL_PENDING);
    assert_int_equal(out.reasons[0].agency, LP_GATE_QUARANTINE);
    in.approvals[LP_GATE_QUARANTINE].state = LP_GATE_ST_APPROVED;
    decide(&in, 0);
    fixture(&in);
    in.approvals[LP_GATE_CUSTOMS].state = LP_GATE_ST_REJECTED;
    out = decide(&in, 1, LP_GATE_R_APPROVAL_REJECTED);
    assert_int_equal(out.reasons[0].agency, LP_GATE_CUSTOMS);
    fixture(&in);
    in.approvals[LP_GATE_BORDER_GUARD].state = LP_GATE_ST_HOLD;
    out = decide(&in, 1, LP_GATE_R_APPROVAL_HOLD);
    assert_int_equal(out.reasons[0].agency, LP_GATE_BORDER_GUARD);
    /* A rejection counts even where no approval was required. */
    fixture(&in);
    in.approvals[LP_GATE_QUARANTINE].state = LP_GATE_ST_REJECTED;
    out = decide(&in, 1, LP_GATE_R_APPROVAL_REJECTED);
    assert_int_equal(out.reasons[0].agency, LP_GATE_QUARANTINE);
}

static void channel_needs_officer(void **state)
{
    lp_gate_input in;
    lp_gate_result out;
    (void)state;
    fixture(&in);
    in.channel = LP_RISK_YELLOW;
    decide(&in, 0); /* the officer approved */
    in.approvals[LP_GATE_CUSTOMS] = (lp_gate_approval){0, LP_GATE_ST_PENDING};
    out = decide(&in, 1, LP_GATE_R_CHANNEL_NEEDS_OFFICER);
    msg_is(&out, 0, "yellow channel: the customs officer's decision is pending");
    in.channel = LP_RISK_RED;
    in.approvals[LP_GATE_CUSTOMS].required = 1;
    decide(&in, 1, LP_GATE_R_CHANNEL_NEEDS_OFFICER);
    in.approvals[LP_GATE_CUSTOMS].state = LP_GATE_ST_HOLD;
    decide(&in, 1, LP_GATE_R_APPROVAL_HOLD);
    /* Green: customs pending but not required opens. */
    in.channel = LP_RISK_GREEN;
    in.approvals[LP_GATE_CUSTOMS] = (lp_gate_approval){0, LP_GATE_ST_PENDING};
    decide(&in, 0);
}

/* Plates -------------------------------------------------------------------- */

static void plate(void **state)
{
    lp_gate_input in;
    lp_gate_result out;
    (void)state;
    fixture(&in);
    in.read.plate.text = "29C12346";
    out = decide(&in, 1, LP_GATE_R_PLATE_MISMATCH);
    msg_is(&out, 0, "expected plate 29C-123.45, read 29C12346");
    fixture(&in);
    in.read.plate.confidence = 799;
    out = decide(&in, 1, LP_GATE_R_PLATE_LOW_CONFIDENCE);
    msg_is(&out, 0, "expected plate 29C-123.45, read 29C12345 with confidence 799 < 800");
    in.read.plate.confidence = 800;
    decide(&in, 0);
    in.read.plate.text = "";
    decide(&in, 1, LP_GATE_R_PLATE_MISSING);
    in.read.plate.text = NULL;
    decide(&in, 1, LP_GATE_R_PLATE_MISSING);
}

static void trailer(void **state)
{
    lp_gate_input in;
    lp_gate_result out;
    (void)state;
    fixture(&in);
    in.read.trailer.text = "29R01235";
    out = decide(&in, 1, LP_GATE_R_TRAILER_MISMATCH);
    msg_is(&out, 0, "expected trailer 29R-012.34, read 29R01235");
    in.read.trailer.text = NULL;
    decide(&in, 1, LP_GATE_R_TRAILER_MISSING);
    fixture(&in);
    in.read.trailer.confidence = 100;
    decide(&in, 1, LP_GATE_R_TRAILER_LOW_CONFIDENCE);
    fixture(&in);
    in.expect.trailer = "";
    out = decide(&in, 1, LP_GATE_R_TRAILER_MISMATCH);
    msg_is(&out, 0, "no trailer declared, read 29r01234");
}

/* Containers and seals ------------------------------------------------------- */

static void containers(void **state)
{
    lp_gate_input in;
    lp_gate_result out;
    (void)state;
    fixture(&in);
    in.read.ncontainers = 1; /* TGHU7654321 not read: its seal is not reported */
    in.read.containers[0] = (lp_gate_ocr){"MSKU1234565", 990};
    in.read.seals[0] = NULL;
    out = decide(&in, 1, LP_GATE_R_CONTAINER_MISSING);
    msg_is(&out, 0, "container TGHU7654321 declared, not read");
    fixture(&in);
    in.read.ncontainers = 3;
    in.read.containers[2] = (lp_gate_ocr){"CSQU3054383", 900};
    out = decide(&in, 1, LP_GATE_R_CONTAINER_UNEXPECTED);
    msg_is(&out, 0, "container CSQU3054383 read, not declared");
    in.read.containers[2].confidence = 300;
    decide(&in, 1, LP_GATE_R_CONTAINER_LOW_CONFIDENCE);
    fixture(&in);
    in.read.containers[1].confidence = 500;
    out = decide(&in, 1, LP_GATE_R_CONTAINER_LOW_CONFIDENCE);
    msg_is(&out, 0, "container MSKU1234565 read with confidence 500 < 800");
    /* A second camera's better read of the same number counts. */
    in.read.ncontainers = 4;
    in.read.containers[2] = (lp_gate_ocr){"MSKU 123456 5", 850};
    in.read.containers[3] = (lp_gate_ocr){"TGHU7654321", 200};
    decide(&in, 0);
    /* A misread reported twice is one reason. */
    in.read.ncontainers = 4;
    in.read.containers[2] = (lp_gate_ocr){"MSKU1234566", 850};
    in.read.containers[3] = (lp_gate_ocr){"msku 1234566", 870};
    decide(&in, 2, LP_GATE_R_CONTAINER_LOW_CONFIDENCE, LP_GATE_R_CONTAINER_UNEXPECTED);
}

static void seals(void **state)
{
    lp_gate_input in;
    lp_gate_result out;
    (void)state;
    fixture(&in);
    in.read.nseals = 2;
    out = decide(&in, 1, LP_GATE_R_SEAL_MISSING);
    msg_is(&out, 0, "seal VN100002 of container MSKU1234565 not read");
    fixture(&in);
    in.read.seals[2] = "VN199999"; /* a replaced seal */
    out = decide(&in, 2, LP_GATE_R_SEAL_MISSING, LP_GATE_R_SEAL_UNEXPECTED);
    msg_is(&out, 1, "seal VN199999 read, declared on no container");
    /* Read twice, unexpected once; an empty read is no read. */
    in.read.nseals = 5;
    in.read.seals[3] = "VN-199999";
    in.read.seals[4] = "";
    decide(&in, 2, LP_GATE_R_SEAL_MISSING, LP_GATE_R_SEAL_UNEXPECTED);
    /* Seals of a container that was not read are neither missing nor unexpected. */
    fixture(&in);
    in.read.ncontainers = 1;
    decide(&in, 1, LP_GATE_R_CONTAINER_MISSING);
}

/* Weight -------------------------------------------------------------------- */

static void weight_tolerance_boundaries(void **state)
{
    lp_gate_input in;
    lp_gate_result out;
    (void)state;
    fixture(&in); /* expected 35,000 kg, 2 % = 700 kg > 200 kg absolute */
    in.read.gross_g = 35700000;
    decide(&in, 0);
    in.read.gross_g = 35700001;
    out = decide(&in, 1, LP_GATE_R_WEIGHT_OUT_OF_TOLERANCE);
    msg_is(&out, 0, "expected 35000 kg, read 35700.001 kg: 700.001 kg heavy, tolerance 700 kg");
    assert_int_equal(out.weight_tol_g, 700000);
    in.read.gross_g = 34300000;
    decide(&in, 0);
    in.read.gross_g = 34299999;
    out = decide(&in, 1, LP_GATE_R_WEIGHT_OUT_OF_TOLERANCE);
    msg_is(&out, 0, "expected 35000 kg, read 34299.999 kg: 700.001 kg light, tolerance 700 kg");
    /* The absolute tolerance when it is the larger one. */
    in.expect.tol_permille = 10;
    in.expect.tol_g = 500000;
    in.read.gross_g = 35500000;
    decide(&in, 0);
    in.read.gross_g = 35500001;
    decide(&in, 1, LP_GATE_R_WEIGHT_OUT_OF_TOLERANCE);
    /* Per mille rounds down: 1 per mille of 35,000.999 kg is 35,000 g. */
    in.expect.tol_permille = 1;
    in.expect.tol_g = 0;
    in.expect.goods_g = 20000999;
    in.read.gross_g = 35000999 + 35000;
    decide(&in, 0);
    in.read.gross_g += 1;
    decide(&in, 1, LP_GATE_R_WEIGHT_OUT_OF_TOLERANCE);
    /* Zero tolerance: exact. */
    in.expect.tol_permille = 0;
    in.read.gross_g = 35000999;
    decide(&in, 0);
}

static void weight_missing(void **state)
{
    lp_gate_input in;
    lp_gate_result out;
    (void)state;
    fixture(&in);
    in.read.gross_g = LP_GATE_NO_WEIGHT;
    decide(&in, 1, LP_GATE_R_WEIGHT_MISSING);
    in.expect.weight_required = 0;
    out = decide(&in, 0);
    assert_int_equal(out.weight_read_g, LP_GATE_NO_WEIGHT);
    fixture(&in);
    in.expect.tare_g = LP_GATE_NO_WEIGHT;
    decide(&in, 1, LP_GATE_R_TARE_MISSING);
    in.expect.weight_required = 0;
    decide(&in, 0);
    /* Not required, but read and wrong: still held. */
    fixture(&in);
    in.expect.weight_required = 0;
    in.read.gross_g = 40000000;
    decide(&in, 1, LP_GATE_R_WEIGHT_OUT_OF_TOLERANCE);
}

/* Several at once -------------------------------------------------------------- */

static void many_problems_together(void **state)
{
    lp_gate_input in;
    (void)state;
    fixture(&in);
    in.channel = LP_RISK_RED;
    in.approvals[LP_GATE_CUSTOMS].state = LP_GATE_ST_PENDING;
    in.approvals[LP_GATE_QUARANTINE] = (lp_gate_approval){1, LP_GATE_ST_PENDING};
    in.read.plate.text = "29C12346";
    in.read.trailer.text = NULL;
    in.read.containers[0].text = "TGHU7654320";
    in.read.seals[1] = "VN100009";
    in.read.gross_g = 30000000;
    decide(&in, 9, LP_GATE_R_CHANNEL_NEEDS_OFFICER, LP_GATE_R_APPROVAL_PENDING,
           LP_GATE_R_PLATE_MISMATCH, LP_GATE_R_TRAILER_MISSING, LP_GATE_R_CONTAINER_MISSING,
           LP_GATE_R_CONTAINER_UNEXPECTED, LP_GATE_R_WEIGHT_OUT_OF_TOLERANCE, LP_GATE_R_SEAL_MISSING,
           LP_GATE_R_SEAL_UNEXPECTED);
}

static void reasons_overflow_keeps_approvals(void **state)
{
    static const char *const ids[8] = {"C0", "C1", "C2", "C3", "C4", "C5", "C6", "C7"};
    static char seal[32][8], read[32][8];
    lp_gate_input in;
    lp_gate_result out;
    int i, s;
    (void)state;
    fixture(&in);
    in.approvals[LP_GATE_BORDER_GUARD].state = LP_GATE_ST_PENDING;
    in.expect.ncontainers = 8;
    in.read.ncontainers = 8;
    in.read.nseals = 32;
    for (i = 0; i < 8; i++) {
        in.expect.containers[i].number = ids[i];
        in.expect.containers[i].nseals = 4;
        in.read.containers[i] = (lp_gate_ocr){ids[i], 999};
        for (s = 0; s < 4; s++) {
            snprintf(seal[i * 4 + s], sizeof seal[0], "S%d", i * 4 + s);
            snprintf(read[i * 4 + s], sizeof read[0], "R%d", i * 4 + s);
            in.expect.containers[i].seals[s] = seal[i * 4 + s];
            in.read.seals[i * 4 + s] = read[i * 4 + s];
        }
    }
    assert_int_equal(lp_gate_decide(&in, &out), LP_OK);
    assert_int_equal(out.decision, LP_GATE_HOLD);
    assert_int_equal(out.nreasons, LP_GATE_REASONS_MAX);
    assert_int_equal(out.more, 1 + 32 + 32 - LP_GATE_REASONS_MAX);
    assert_int_equal(out.reasons[0].code, LP_GATE_R_APPROVAL_PENDING);
    assert_int_equal(out.reasons[1].code, LP_GATE_R_SEAL_MISSING);
}

/* Input ---------------------------------------------------------------------- */

static void invalid_input_holds(void **state)
{
    lp_gate_input in;
    lp_gate_result out;
    (void)state;
    fixture(&in);
    in.expect.ncontainers = LP_GATE_CONTAINERS_MAX + 1;
    assert_int_equal(lp_gate_decide(&in, &out), LP_EINVAL);
    assert_int_equal(out.decision, LP_GATE_HOLD);
    assert_int_equal(out.nreasons, 1);
    assert_int_equal(out.reasons[0].code, LP_GATE_R_INPUT_INVALID);
    assert_non_null(strstr(out.reasons[0].msg, "expect.ncontainers"));
    fixture(&in);
    in.expect.containers[1].seals[0] = NULL;
    assert_int_equal(lp_gate_decide(&in, &out), LP_EINVAL);
    assert_non_null(strstr(out.reasons[0].msg, "expect.containers[1].seals[0]"));
    fixture(&in);
    in.read.containers[1].confidence = 1001;
    assert_int_equal(lp_gate_decide(&in, &out), LP_EINVAL);
    assert_non_null(strstr(out.reasons[0].msg, "read.containers[1].confidence"));
    fixture(&in);
    in.expect.plate = NULL;
    assert_int_equal(lp_gate_decide(&in, &out), LP_EINVAL);
    fixture(&in);
    in.read.gross_g = -2;
    assert_int_equal(lp_gate_decide(&in, &out), LP_EINVAL);
    fixture(&in);
    in.approvals[2].state = (lp_gate_state)4;
    assert_int_equal(lp_gate_decide(&in, &out), LP_EINVAL);
    assert_int_equal(lp_gate_decide(NULL, &out), LP_EINVAL);
    assert_int_equal(out.decision, LP_GATE_HOLD);
    assert_int_equal(lp_gate_decide(&in, NULL), LP_EINVAL);
}

static void names(void **state)
{
    (void)state;
    assert_string_equal(lp_gate_code_name(LP_GATE_R_PLATE_MISMATCH), "PLATE_MISMATCH");
    assert_string_equal(lp_gate_code_name(LP_GATE_R_SEAL_UNEXPECTED), "SEAL_UNEXPECTED");
    assert_string_equal(lp_gate_code_name(LP_GATE_R__COUNT), "?");
    assert_string_equal(lp_gate_decision_name(LP_GATE_OPEN), "open");
    assert_string_equal(lp_gate_agency_name(LP_GATE_BORDER_GUARD), "border_guard");
    assert_string_equal(lp_gate_state_name(LP_GATE_ST_HOLD), "hold");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(all_match_green_opens),
        cmocka_unit_test(chinese_plate_with_middle_dot),
        cmocka_unit_test(approvals),
        cmocka_unit_test(channel_needs_officer),
        cmocka_unit_test(plate),
        cmocka_unit_test(trailer),
        cmocka_unit_test(containers),
        cmocka_unit_test(seals),
        cmocka_unit_test(weight_tolerance_boundaries),
        cmocka_unit_test(weight_missing),
        cmocka_unit_test(many_problems_together),
        cmocka_unit_test(reasons_overflow_keeps_approvals),
        cmocka_unit_test(invalid_input_holds),
        cmocka_unit_test(names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
