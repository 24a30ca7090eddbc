package io.llmslo.judge;

public final class OfflineJudgeClient implements JudgeClient {
    public OfflineJudgeClient(String model) {}
    public JudgeVerdict judge(Rubric rubric, String prompt, String response, long deadlineNanos) { return null; }
    public String model() { return ""; }
}
