package reports_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/hookcheck/hookcheck/reports"
)

// chromiumPath finds the browser: $CHROMIUM (a path or a name on the
// PATH) when set, else /usr/bin/chromium or chromium on the PATH. It
// returns "" when there is none.
func chromiumPath() string {
	candidates := []string{"/usr/bin/chromium", "chromium"}
	if p := os.Getenv("CHROMIUM"); p != "" {
		candidates = []string{p}
	}
	for _, c := range candidates {
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	return ""
}

// artifactDir is $HOOKCHECK_ARTIFACTS or bin/artifacts under the module
// root (bin/ is ignored by git).
func artifactDir() string {
	if d := os.Getenv("HOOKCHECK_ARTIFACTS"); d != "" {
		return d
	}
	return filepath.Join(moduleRoot(), "bin", "artifacts")
}

// headless runs Chromium headless on the page with the extra flags and
// returns its standard output.
func headless(ctx context.Context, bin, profile, page string, extra ...string) string {
	args := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--user-data-dir=" + profile,
	}, extra...)
	args = append(args, "file://"+page)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.WaitDelay = 10 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	Expect(err).NotTo(HaveOccurred(), "chromium %v failed; stderr:\n%s", extra, lastLines(stderr.String(), 30))
	return stdout.String()
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// countColour counts the pixels of exactly colour c.
func countColour(img image.Image, c color.RGBA) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if uint8(r>>8) == c.R && uint8(g>>8) == c.G && uint8(bl>>8) == c.B {
				n++
			}
		}
	}
	return n
}

var _ = Describe("report.html in headless Chromium", Label("browser"), func() {
	It("shows the clause matrix and a failure's evidence", func(ctx SpecContext) {
		bin := chromiumPath()
		if bin == "" {
			if os.Getenv("CI") != "" {
				Fail("chromium not found ($CHROMIUM=" + os.Getenv("CHROMIUM") + ", /usr/bin/chromium, PATH): on CI the Makefile's chromium target must install it")
			}
			Skip("chromium not found ($CHROMIUM, /usr/bin/chromium, PATH; install it with `make chromium`): report.html was not checked in a browser")
		}
		dir := GinkgoT().TempDir()
		Expect(reports.WriteAll(dir, sampleRun())).To(Succeed())
		page := filepath.Join(dir, "report.html")
		profile := filepath.Join(dir, "profile")

		By("dumping the DOM after the page's script ran, and taking a screenshot")
		shot := filepath.Join(dir, "report.png")
		dom := headless(ctx, bin, profile, page, "--dump-dom", "--screenshot="+shot, "--window-size=1280,2000")
		Expect(dom).To(ContainSubstring(`<table id="matrix">`))
		Expect(dom).To(ContainSubstring("4 of 6 clauses shown — only those that did not pass"), "the inline script ran and collapsed the passing clauses")
		_, cells, order := parseMatrix(dom)
		Expect(order).To(Equal([]string{"WH-CRUD-001", "WH-DLV-004", "WH-RTY-002", "WH-STE-001", "WH-ONL-001", "WH-XXX-999"}))
		Expect(statuses(cells["WH-DLV-004"])).To(Equal([]string{"fail/fail/FAIL", "pass/pass/pass", "skip/skip/skip"}))
		section := failureSection(dom, cells["WH-RTY-002"][0].Anchor)
		Expect(section).To(ContainSubstring("attempts at +0s, +1s, +3s, +5s"))
		Expect(section).To(ContainSubstring(`<svg class="timeline"`))
		Expect(strings.Count(section, `class="marker bad"`)).To(Equal(3))
		Expect(dom).To(ContainSubstring("&lt;script&gt;alert(1)&lt;/script&gt;"))
		Expect(dom).NotTo(ContainSubstring("<script>alert(1)"))

		By("finding the matrix colours and the timeline markers in the screenshot")
		f, err := os.Open(shot)
		Expect(err).NotTo(HaveOccurred())
		defer f.Close()
		img, err := png.Decode(f)
		Expect(err).NotTo(HaveOccurred())
		Expect(img.Bounds().Dx()).To(Equal(1280))
		Expect(img.Bounds().Dy()).To(Equal(2000))
		Expect(countColour(img, color.RGBA{0xfd, 0xe2, 0xe4, 0xff})).To(BeNumerically(">", 2000), "fail cells (#fde2e4) are visible")
		Expect(countColour(img, color.RGBA{0xdf, 0xf3, 0xe4, 0xff})).To(BeNumerically(">", 2000), "pass cells (#dff3e4) are visible")
		Expect(countColour(img, color.RGBA{0xc6, 0x28, 0x28, 0xff})).To(BeNumerically(">", 400), "red failed-attempt markers (#c62828) are visible")
		Expect(countColour(img, color.RGBA{0x2e, 0x7d, 0x32, 0xff})).To(BeNumerically(">", 200), "green accepted-attempt markers (#2e7d32) are visible")

		By("keeping the screenshot as a build artefact")
		out := artifactDir()
		Expect(os.MkdirAll(out, 0o755)).To(Succeed())
		for _, name := range []string{"report.png", "report.html"} {
			data, err := os.ReadFile(filepath.Join(dir, name))
			Expect(err).NotTo(HaveOccurred())
			Expect(os.WriteFile(filepath.Join(out, "browser-"+name), data, 0o644)).To(Succeed())
		}
		AddReportEntry("screenshot", filepath.Join(out, "browser-report.png"))
		GinkgoWriter.Println("screenshot:", filepath.Join(out, "browser-report.png"))
	}, NodeTimeout(2*time.Minute))
})
